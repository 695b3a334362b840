#!/usr/bin/env bash
# Build the analysts' page script (web/src/main.js + cytoscape + chart.js from npm) into kg/web/static/app.js.
# The built file is committed and shipped in the Python package (package-data), so `kg serve` and `kg viz`
# work offline and CI needs no npm; run this after changing web/src/ or web/package.json, then commit both.
# Needs Node.js and npm; `npm ci` installs exactly what web/package-lock.json pins.
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
ls -l ../kg/web/static/app.js
