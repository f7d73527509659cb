// The part of the WebAssembly JS API that tar-seek.ts uses. Node has had it since v8, but
// @types/node 20 does not declare it and the DOM lib (which does) does not belong in this package.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
}
