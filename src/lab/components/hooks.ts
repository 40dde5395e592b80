/**
 * Hooks binding React views to models.
 */
import { useEffect, useReducer } from 'react';

import { EosBrowserModel } from '../model';

/** Re-render the calling component whenever the model changes. */
export function useModelChanged(model: EosBrowserModel): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    model.changed.connect(bump);
    return () => {
      model.changed.disconnect(bump);
    };
  }, [model]);
}
