// jsdom lacks these; the frontend's dependencies expect them.
const buffer = require('buffer');
const streams = require('stream/web');
if (typeof globalThis.Blob === 'undefined') {
  globalThis.Blob = buffer.Blob;
}
if (typeof globalThis.ReadableStream === 'undefined') {
  globalThis.ReadableStream = streams.ReadableStream;
}
