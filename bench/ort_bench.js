// Times one ONNX model with ONNX Runtime (onnxruntime-node, CPU):
//   node ort_bench.js MODEL.onnx INPUT.npy THREADS RUNS
// prints `median_ms=<float> min_ms=<float>` like cnnc's models.
const fs = require('fs');
const ort = require('onnxruntime-node');

function readNpy(path) {
  const buf = fs.readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1]
      .split(',').map(s => s.trim()).filter(s => s.length).map(Number);
  const offset = 10 + headerLen;
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + offset,
                                                 buf.byteOffset + buf.length));
  return {shape, data};
}

(async () => {
  const [model, inputPath, threads, runs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads), interOpNumThreads: 1,
    executionMode: 'sequential', graphOptimizationLevel: 'all'});
  const {shape, data} = readNpy(inputPath);
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, shape)};
  await session.run(feeds); // warm-up
  const times = [];
  for (let i = 0; i < Number(runs); ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`median_ms=${times[Math.floor(times.length / 2)].toFixed(3)} ` +
              `min_ms=${times[0].toFixed(3)}`);
})().catch(e => { console.error(`error: ${e.message}`); process.exit(1); });
