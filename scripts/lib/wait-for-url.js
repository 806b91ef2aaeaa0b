#!/usr/bin/env node
// Waits until a URL answers 200 (default: at most 300 s), then exits 0;
// exits 1 on timeout. Usage: node wait-for-url.js <url> [seconds]
const [url, seconds = '300'] = process.argv.slice(2);
if (!url) {
  console.error('usage: wait-for-url.js <url> [seconds]');
  process.exit(2);
}
const deadline = Date.now() + Number(seconds) * 1000;
(async () => {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) process.exit(0);
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  console.error(`${url} did not answer 200 within ${seconds} s`);
  process.exit(1);
})();
