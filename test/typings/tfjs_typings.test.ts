// tfjs-typed TypeScript compiles against tensornode: the fixture uses Tensor2D / Rank / Scalar / NamedTensorMap /
// TensorContainer and the usual casts, and the compiler must report nothing.
import * as path from 'path';
import * as ts from 'typescript';

test('a program written against tfjs typings compiles unchanged', () => {
  const file = path.join(__dirname, 'fixtures', 'tfjs_style.ts');
  // The library's own ambient declarations (untyped dependencies) come along, as tsc -p tsconfig.json includes them.
  const vendor = path.join(__dirname, '..', '..', 'lib', 'io', 'keras', 'vendor.d.ts');
  const program = ts.createProgram([file, vendor], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
}, 120_000);
