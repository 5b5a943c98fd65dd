// Run with --expose-gc: tensors dropped without dispose() give their storage back once collected (lib/memory.ts's
// backstop), both those dropped after the current job ended and those dropped within it (registered late). Prints JSON.
const tn = require(process.env.TN_LIB);

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function collectUntil(predicate) {
  for (let i = 0; i < 50 && !predicate(); i++) {
    global.gc();
    await tick(); // finalizers run as tasks after a GC
  }
}

async function main() {
  const base = tn.memory();
  // Dropped within the job that made them (not yet registered with the backstop when dropped).
  for (let i = 0; i < 3000; i++) tn.add(tn.ones([256]), 1);
  const made = tn.memory().numTensors - base.numTensors;
  await tick();
  // Dropped after the job ended (registered first).
  let keep = [];
  for (let i = 0; i < 3000; i++) keep.push(tn.mul(tn.ones([256]), 2));
  await tick();
  keep = null;
  await collectUntil(() => tn.memory().numTensors === base.numTensors);
  const after = tn.memory();
  console.log(JSON.stringify({ made, leftTensors: after.numTensors - base.numTensors, leftBytes: after.numBytes - base.numBytes }));
}
main();
