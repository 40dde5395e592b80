/**
 * The fake service of fake.ts, extended with the routes the commands call
 * (stat, presign, mkdir, count, delete, copy, job, job/cancel), and a test
 * bench: a model listing scripted folders and a registry with the commands.
 */
import { Dialog, Notification } from '@jupyterlab/apputils';
import * as apputils from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { Entry, Job, Routes } from '../../core';
import { addCommands } from '../commands';
import { EosBrowserModel } from '../model';
import { requestAPI } from '../request';
import { EosSettings, IEosSettings } from '../settings';
import { FakeEos } from './fake';

/** One recorded call of a route that takes a body. */
export interface IBodyCall {
  route: string;
  body: unknown;
}

/** A job in `state`, with its progress. */
export function job(id: string, state: Job['state'], patch: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'delete',
    state,
    sources: [],
    objects: { done: 0, total: null },
    bytes: { done: 0, total: null },
    skipped: 0,
    started: '2026-01-01T00:00:00.000Z',
    ...patch
  };
}

type Answer = unknown | Error | ((input: any) => unknown);

/** FakeEos answering the action routes from scripts; every body is recorded. */
export class FakeActions extends FakeEos {
  bodies: IBodyCall[] = [];

  constructor() {
    super();
    const list = this.request;
    this.request = async (route, options = {}) => {
      if (route === Routes.whoami || route === Routes.list) {
        return list(route, options);
      }
      const input = options.body ?? options.query;
      this.bodies.push({ route, body: input });
      const queue = this._answers.get(route);
      const answer = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      if (answer === undefined) {
        return list(route, options);
      }
      const value = typeof answer === 'function' ? (answer as (i: unknown) => unknown)(input) : answer;
      if (value instanceof Error) {
        throw value;
      }
      return value;
    };
  }

  /** Answer `route` with these, in turn; the last one keeps answering. */
  answer(route: string, ...answers: Answer[]): void {
    this._answers.set(route, answers);
  }

  /** The bodies (or queries) sent to `route`. */
  sent(route: string): unknown[] {
    return this.bodies.filter(call => call.route === route).map(call => call.body);
  }

  private _answers = new Map<string, Answer[]>();
}

/** A model over a fake service, with the commands registered. */
export interface IBench {
  eos: FakeActions;
  model: EosBrowserModel;
  commands: CommandRegistry;
  settings: EosSettings;
}

/** Set up a bench whose folders list `pages` (URI -> entries). */
export async function bench(pages: Record<string, Entry[]>, values: Partial<IEosSettings> = {}): Promise<IBench> {
  const eos = new FakeActions();
  for (const [uri, entries] of Object.entries(pages)) {
    eos.page(uri, entries);
  }
  (requestAPI as jest.Mock).mockImplementation(eos.request);
  const model = new EosBrowserModel();
  await model.initialize();
  const commands = new CommandRegistry();
  const settings = new EosSettings(values);
  addCommands(commands, model, nullTranslator.load('jupyterlab_eos'), { settings });
  return { eos, model, commands, settings };
}

/**
 * Make `showDialog` answer with these, in turn: accepted or not, and a value.
 * The spec must mock it: `jest.mock('@jupyterlab/apputils', () => ({
 * ...jest.requireActual('@jupyterlab/apputils'), showDialog: jest.fn() }))`.
 */
export function answerDialogs(...answers: { accept: boolean; value?: unknown }[]): jest.Mock {
  const spy = apputils.showDialog as jest.Mock;
  spy.mockReset();
  for (const a of answers) {
    const button = a.accept ? Dialog.okButton() : Dialog.cancelButton();
    spy.mockResolvedValueOnce({ button, value: (a.value ?? null) as any, isChecked: null });
  }
  return spy;
}

/** Spy on every notification kind; the in-progress `emit` returns 'job-note'. */
export function spyNotifications() {
  return {
    success: jest.spyOn(Notification, 'success').mockReturnValue('id'),
    error: jest.spyOn(Notification, 'error').mockReturnValue('id'),
    warning: jest.spyOn(Notification, 'warning').mockReturnValue('id'),
    info: jest.spyOn(Notification, 'info').mockReturnValue('id'),
    emit: jest.spyOn(Notification, 'emit').mockReturnValue('job-note'),
    update: jest.spyOn(Notification, 'update').mockReturnValue(true),
    dismiss: jest.spyOn(Notification, 'dismiss').mockImplementation(() => undefined)
  };
}
