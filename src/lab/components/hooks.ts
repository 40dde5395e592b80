/**
 * Hooks binding React views to models.
 */
import { useEffect, useReducer, useState } from 'react';

import type { ISignal } from '@lumino/signaling';
import { EosSettings, IEosSettings } from '../settings';

/** Re-render the calling component whenever the signal is emitted. */
export function useSignal(signal: ISignal<unknown, unknown>): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    signal.connect(bump);
    return () => {
      signal.disconnect(bump);
    };
  }, [signal]);
}

/** Re-render the calling component whenever the model changes (any model with a `changed` signal). */
export function useModelChanged(model: { readonly changed: ISignal<unknown, unknown> }): void {
  useSignal(model.changed);
}

/** The current settings, re-rendering the calling component when they change. */
export function useSettings(settings: EosSettings): Readonly<IEosSettings> {
  const [values, setValues] = useState(settings.values);
  useEffect(() => {
    const update = (_: EosSettings, next: Readonly<IEosSettings>) => setValues(next);
    settings.changed.connect(update);
    setValues(settings.values);
    return () => {
      settings.changed.disconnect(update);
    };
  }, [settings]);
  return values;
}
