// Hidden checker for task 9: loads build/Release/addon.node, makes one call, reports what it saw.
//
// It judges nothing. The call arrives as JSON on stdin ({"id": ..., "args": [...]}); one JSON
// object per line goes to the descriptor named by $FFILAB_CHANNEL_FD, and check.py decides. One
// call per process: a call that aborts the process cannot hide the results of the others.
'use strict';

const fs = require('fs');
const path = require('path');
const util = require('util');

const channel = Number(process.env.FFILAB_CHANNEL_FD);
delete process.env.FFILAB_CHANNEL_FD;

function send(message) {
  fs.writeSync(channel, JSON.stringify(message) + '\n');
}

function describeValue(value) {
  return {
    type: typeof value,
    repr: util.inspect(value, { depth: 1, breakLength: Infinity }).slice(0, 200),
    number: typeof value === 'number' && Number.isFinite(value) ? value : null,
  };
}

function describeError(error) {
  if (error === null || typeof error !== 'object') {
    return { isError: false, isTypeError: false, name: null, message: null,
             repr: util.inspect(error).slice(0, 200) };
  }
  return {
    isError: error instanceof Error,
    isTypeError: error instanceof TypeError,
    name: error.constructor && error.constructor.name,
    message: String(error.message).slice(0, 500),
    repr: String(error).slice(0, 500),
  };
}

const job = JSON.parse(fs.readFileSync(0, 'utf8'));
send({ kind: 'calling', id: 'require' });
let addon;
try {
  addon = require(path.join(process.cwd(), 'build', 'Release', 'addon.node'));
} catch (error) {
  send({ kind: 'load', error: describeError(error) });
  process.exit(0);
}
send({ kind: 'load', error: null, addType: typeof addon.add });
if (typeof addon.add !== 'function') {
  process.exit(0);
}
send({ kind: 'calling', id: job.id });
let report;
try {
  report = { returned: describeValue(addon.add(...job.args)), threw: null };
} catch (error) {
  report = { returned: null, threw: describeError(error) };
}
send(Object.assign({ kind: 'result', id: job.id }, report));
