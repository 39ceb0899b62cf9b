// Build the static widget: copies src/ and the demo page into dist/, and the
// socket.io client (from node_modules, installed from the lockfile) into dist/vendor/.
// No bundler, no transpiler: the widget is plain ES2017 that current browsers run as is.
"use strict";

const fs = require("fs");
const path = require("path");

const root = __dirname;
const dist = path.join(root, "dist");
const vendorSrc = path.join(root, "node_modules", "socket.io-client", "dist", "socket.io.min.js");

if (!fs.existsSync(vendorSrc)) {
  console.error("build: " + vendorSrc + " is missing; run `npm ci` (or `npm install`) in web/ first.");
  process.exit(1);
}

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(path.join(dist, "vendor"), { recursive: true });
fs.cpSync(path.join(root, "src"), dist, { recursive: true });
fs.copyFileSync(path.join(root, "index.html"), path.join(dist, "index.html"));
fs.copyFileSync(vendorSrc, path.join(dist, "vendor", "socket.io.min.js"));

const version = require(path.join(root, "node_modules", "socket.io-client", "package.json")).version;
console.log("build: web/dist ready (socket.io-client " + version + ")");
