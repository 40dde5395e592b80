// jsdom lacks these; the frontend's dependencies expect them.
const { Blob } = require('buffer');
const { ReadableStream } = require('stream/web');
if (typeof globalThis.Blob === 'undefined') globalThis.Blob = Blob;
if (typeof globalThis.ReadableStream === 'undefined') globalThis.ReadableStream = ReadableStream;
