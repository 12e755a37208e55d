import { createHash } from 'node:crypto';
import { container, inject, injectable } from 'tsyringe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogbookError, Param, Track, currentRunId } from '../../src/index.js';
import { openFixture } from './fixture.js';
import type { DecoratorFixture } from './fixture.js';

let fx: DecoratorFixture;
beforeEach(async () => {
  fx = await openFixture();
});
afterEach(async () => {
  await fx.close();
});

const hash8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

async function paramsOf(call: () => Promise<string | undefined>): Promise<Record<string, string>> {
  const runId = await call();
  return { ...(await fx.store.getRun(runId!)).data.params };
}

describe('Param', () => {
  it('logs property values as they are at run start, flattening objects and stringifying arrays', async () => {
    class Trainer {
      @Param() epochs = 3;
      @Param('learning_rate') lr = 0.001;
      @Param() optimizer = { name: 'adam', betas: [0.9, 0.999], schedule: { kind: 'cosine', warmup: 100 } };
      @Param() layers = [64, 32];
      @Param() note: string | undefined = undefined;
      @Param() shuffle = true;
      untracked = 'not a param';
      @Track({ experiment: 'p', logbook: () => fx.logbook })
      async fit(): Promise<string | undefined> {
        return currentRunId();
      }
    }
    const t = new Trainer();
    t.epochs = 5; // changed after construction: the value at run start counts
    expect(await paramsOf(() => t.fit())).toEqual({
      epochs: '5',
      learning_rate: '0.001',
      'optimizer.name': 'adam',
      'optimizer.betas': '[0.9,0.999]',
      'optimizer.schedule.kind': 'cosine',
      'optimizer.schedule.warmup': '100',
      layers: '[64,32]',
      shuffle: 'true',
    });
  });

  it('reports a function or a cycle in a @Param through the error handler by name, and logs the other params', async () => {
    const cyclic: Record<string, unknown> = { depth: 2 };
    cyclic.self = cyclic;
    class Trainer {
      @Param() epochs = 3;
      @Param() callback = () => 1;
      @Param() graph = cyclic;
      @Track({ experiment: 'rejected', logbook: () => fx.logbook })
      async fit(): Promise<string | undefined> {
        return currentRunId();
      }
    }
    const runId = await new Trainer().fit();
    expect((await fx.store.getRun(runId!)).data.params).toEqual({ epochs: '3', 'graph.depth': '2' });
    expect(fx.errors.map((e) => [(e.error as LogbookError).field, e.context])).toEqual([
      ['params.callback', { operation: 'decorators.readParams', runId }],
      ['params.graph.self', { operation: 'decorators.readParams', runId }],
    ]);
    expect(String(fx.errors[0]!.error)).toMatch(/Param 'callback' is a function/);
  });

  it('redacts values so that the clear value is stored nowhere', async () => {
    const fileFx = await openFixture({ file: true });
    const secret = 'sk-live-4f9a1c7e2b8d';
    const password = 'hunter2-correct-horse';
    class Trainer {
      @Param({ redact: true }) apiKey = secret;
      @Param({ name: 'db', redact: true }) database = { user: 'ml', password };
      @Param() visible = 'plain';
      @Track({ experiment: 'secret', logbook: () => fileFx.logbook })
      async fit(): Promise<string | undefined> {
        return currentRunId();
      }
    }
    const runId = await new Trainer().fit();
    const params = (await fileFx.store.getRun(runId!)).data.params;
    expect(params).toEqual({
      apiKey: `[redacted:${hash8(secret)}]`,
      'db.user': `[redacted:${hash8('ml')}]`,
      'db.password': `[redacted:${hash8(password)}]`,
      visible: 'plain',
    });
    const everything = await fileFx.dump(); // every byte of the database and its WAL
    expect(everything).toContain(`[redacted:${hash8(secret)}]`);
    expect(everything).toContain('plain');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(password);
    expect(fileFx.errors).toEqual([]);
    await fileFx.close();
  });

  it('logs constructor arguments of a class decorated with @Track', async () => {
    const fileFx = await openFixture({ file: true });
    interface Config {
      readonly optimizer: { readonly lr: number; readonly momentum: number };
      readonly token: string;
    }
    @Track({ experiment: 'ctor', logbook: () => fileFx.logbook })
    class Trainer {
      constructor(
        @Param() readonly config: Config,
        @Param('batch_size') readonly batchSize: number,
        @Param({ name: 'auth', redact: true }) readonly auth: { token: string },
      ) {}
      @Track() async fit(): Promise<string | undefined> {
        return currentRunId();
      }
    }
    const t = new Trainer({ optimizer: { lr: 0.1, momentum: 0.9 }, token: 'T' }, 32, { token: 'tok-123456' });
    expect(t).toBeInstanceOf(Trainer);
    expect(Trainer.name).toBe('Trainer');
    const runId = await t.fit();
    expect((await fileFx.store.getRun(runId!)).data.params).toEqual({
      'optimizer.lr': '0.1',
      'optimizer.momentum': '0.9',
      token: 'T',
      batch_size: '32',
      'auth.token': `[redacted:${hash8('tok-123456')}]`,
    });
    expect(await fileFx.dump()).not.toContain('tok-123456');
    await fileFx.close();
  });

  it('keeps design:paramtypes readable through the class that captures constructor arguments', () => {
    class Dep {}
    @Track({ experiment: 'x' })
    class Service {
      constructor(
        @Param() readonly options: object,
        readonly dep: Dep,
      ) {}
    }
    expect(Reflect.getMetadata('design:paramtypes', Service)).toEqual([Object, Dep]);
  });

  it('works with tsyringe: @injectable() above @Track resolves the class with its @inject tokens and logs the argument', async () => {
    const CONFIG = Symbol('config');
    const child = container.createChildContainer();
    child.register(CONFIG, { useValue: { depth: 3 } });
    @injectable()
    @Track({ experiment: 'di', logbook: () => fx.logbook })
    class Trainer {
      constructor(@inject(CONFIG) @Param('model') readonly config: { depth: number }) {}
      @Track() async fit(): Promise<string | undefined> {
        return currentRunId();
      }
    }
    const trainer = child.resolve(Trainer);
    expect(trainer.config).toEqual({ depth: 3 });
    expect(await paramsOf(() => trainer.fit())).toEqual({ 'model.depth': '3' });
  });

  it('refuses at decoration time an unnamed constructor parameter of a primitive type', () => {
    expect(() => {
      @Track({ experiment: 'x' })
      class Bad {
        constructor(@Param() readonly batchSize: number) {}
      }
      return Bad;
    }).toThrow(/constructor parameter 0 of Bad: a number argument needs a name/);
  });

  it('refuses @Param on a method parameter and on a static property', () => {
    expect(() => {
      class Bad {
        m(@Param() _x: number): void {}
      }
      return Bad;
    }).toThrow(LogbookError);
    expect(() => {
      class Bad {
        @Param() static lr = 1;
      }
      return Bad;
    }).toThrow(/static member lr/);
  });

  it('reports constructor params that could not be captured (no @Track on the class), logging the rest', async () => {
    class Trainer {
      @Param() epochs = 2;
      constructor(@Param('config') readonly config: object) {}
      @Track({ experiment: 'nocap', logbook: () => fx.logbook })
      async fit(): Promise<string | undefined> {
        return currentRunId();
      }
    }
    const runId = await new Trainer({ a: 1 }).fit();
    expect((await fx.store.getRun(runId!)).data.params).toEqual({ epochs: '2' });
    expect(fx.errors).toHaveLength(1);
    expect(String(fx.errors[0]!.error)).toMatch(/constructor parameters of Trainer were not captured: decorate the class with @Track/);
    expect(fx.errors[0]!.context).toEqual({ operation: 'decorators.readParams', runId });
  });

  it('includes params declared by base classes, the subclass value winning', async () => {
    class Base {
      @Param() seed = 1;
      @Param() lr = 0.1;
    }
    class Derived extends Base {
      @Param() override lr = 0.5;
      @Param() depth = 4;
      @Track({ experiment: 'inherit', logbook: () => fx.logbook })
      async fit(): Promise<string | undefined> {
        return currentRunId();
      }
    }
    expect(await paramsOf(() => new Derived().fit())).toEqual({ seed: '1', lr: '0.5', depth: '4' });
  });

  it('logs no params when the logbook turns experimentAutoLogging off, but still tracks the run', async () => {
    const off = await openFixture({ autoLogging: false });
    class Trainer {
      @Param() lr = 0.1;
      @Track({ experiment: 'off', logbook: () => off.logbook })
      async fit(): Promise<string | undefined> {
        return currentRunId();
      }
    }
    const runId = await new Trainer().fit();
    expect((await off.store.getRun(runId!)).data.params).toEqual({});
    await off.close();
  });
});
