// The package ships no types; this declares the one function it exports (its index.js JSDoc).
declare module 'abstract-winston-transport' {
  /** Registers winston's shared transport tests with mocha-style globals (describe/it/hooks). */
  function abstractWinstonTransport(options: {
    name: string;
    Transport: new (options: never) => unknown;
    construct?: object | (() => object);
    query?: boolean;
    stream?: boolean;
    afterEach?: (options: object, done: (error?: unknown) => void) => void;
  }): void;
  export = abstractWinstonTransport;
}
