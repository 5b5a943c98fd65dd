// tidy with asynchronous bodies (issue 9, finding 14): refused without leaking what was made before the first await.
import * as tn from '../../lib';

describe('tidy(async fn)', () => {
  test('an async function is refused before it runs: no tensor is made, none leaks', async () => {
    const before = tn.memory().numTensors;
    let ran = false;
    expect(() =>
      tn.tidy((async () => {
        ran = true;
        tn.zeros([4]);
        await Promise.resolve();
        tn.zeros([4]);
      }) as unknown as () => void),
    ).toThrow(/tidy: the function must be synchronous/);
    await new Promise((r) => setTimeout(r, 10));
    expect(ran).toBe(false);
    expect(tn.memory().numTensors).toBe(before);
  });

  test('a plain function returning a promise: the tensors it made are disposed, the error is a ValueError', () => {
    const before = tn.memory().numTensors;
    const made: tn.Tensor[] = [];
    expect(() =>
      tn.tidy(() => {
        made.push(tn.ones([3]), tn.ones([2]));
        return Promise.resolve(made[0]) as unknown as tn.Tensor;
      }),
    ).toThrow(tn.ValueError);
    expect(made.every((t) => t.isDisposed)).toBe(true);
    expect(tn.memory().numTensors).toBe(before);
  });
});
