/**
 * Typed arrays carved out of one block of memory, allocated up front: a WebAssembly.Memory when
 * WebAssembly kernels must address them (their byteOffsets are the kernels' addresses), else
 * separate buffers. Shared arenas live in SharedArrayBuffer memory that worker threads see too.
 */
const ALIGN = 16;
const PAGE = 65536;
/** wasm32 addresses at most 4 GiB. */
const MAX_WASM_BYTES = 65536 * PAGE;

export interface TypedArrayConstructor<T> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Sizes arrays before an arena exists: sum with `add`, then `bytes`. */
export class ArenaSize {
  bytes = 0;
  add(bytesPerElement: number, n: number): this {
    this.bytes += Math.ceil((n * bytesPerElement) / ALIGN) * ALIGN;
    return this;
  }
}

export class Arena {
  private used = 0;

  private constructor(
    readonly memory: WebAssembly.Memory | null,
    private readonly shared: boolean,
  ) {}

  /**
   * A WebAssembly memory of `bytes` (from ArenaSize), or null when it would pass wasm32's 4 GiB.
   * Always shared: the kernels declare a shared memory, whether one thread uses it or several.
   */
  static wasm(bytes: number): Arena | null {
    const pages = Math.ceil(bytes / PAGE) + 1;
    if (pages * PAGE > MAX_WASM_BYTES) return null;
    return new Arena(new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }), true);
  }

  /** Every array in a buffer of its own (SharedArrayBuffer when `shared`). */
  static separate(shared: boolean): Arena {
    return new Arena(null, shared);
  }

  alloc<T>(Ctor: TypedArrayConstructor<T>, n: number): T {
    if (!this.memory) return this.shared ? new Ctor(new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT), 0, n) : new Ctor(n);
    const bytes = Math.ceil((n * Ctor.BYTES_PER_ELEMENT) / ALIGN) * ALIGN;
    if (this.used + bytes > this.memory.buffer.byteLength) throw new Error(`arena of ${this.memory.buffer.byteLength} bytes is full`);
    const array = new Ctor(this.memory.buffer, this.used, n);
    this.used += bytes;
    return array;
  }

  copyOf<T extends Int32Array | Float32Array | Float64Array>(values: T): T {
    const out = this.alloc(values.constructor as TypedArrayConstructor<T>, values.length);
    out.set(values);
    return out;
  }
}
