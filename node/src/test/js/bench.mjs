// js <-> js reference figures for meshlog's own benchmarks, over loopback, between two processes.
//
//   node bench.mjs <connect|stream|streams8|gossip|all> [--key=value ...]
//
// This process is the dialer/publisher; it spawns `node bench.mjs serve` as the remote peer. It
// prints exactly one JSON line of figures on stdout and exits 0, or exits 1 with the reason on
// stderr. Every run checks its own result (sink byte counts, every gossip message delivered), so a
// fast wrong run fails instead of reporting a figure.
//
// Settings (defaults in BENCH_DEFAULTS): connections, streamBytes, chunkBytes, messages,
// messageBytes, window, timeoutMs.
import './lib/compat.mjs'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const { createNode, optionsFrom, sink } = await import('./lib/node.mjs')
const { multiaddr } = await import('@multiformats/multiaddr')

const BENCH_DEFAULTS = Object.freeze({
  connections: 200, // connect: sequential dial + noise + yamux, then hang up
  streamBytes: 256 * 1024 * 1024, // stream / streams8: total bytes sent
  chunkBytes: 64 * 1024, // size of each stream write
  messages: 20000, // gossip: messages published
  messageBytes: 1024, // gossip: payload size
  window: 500, // gossip: most messages published but not yet reported received
  timeoutMs: 120000 // whole run
})
const TOPIC = 'meshlog-bench'
const LOOPBACK = '/ip4/127.0.0.1/ipcidr/32'
const MODES = ['connect', 'stream', 'streams8', 'gossip']

function settingsFrom (argv) {
  const s = { ...BENCH_DEFAULTS }
  for (const arg of argv) {
    const m = /^--([^=]+)=(\d+)$/.exec(arg)
    if (m == null || !(m[1] in BENCH_DEFAULTS)) throw new Error(`unknown or non-numeric setting ${arg}`)
    s[m[1]] = Number(m[2])
  }
  return s
}

// ---- the remote side: `node bench.mjs serve` --------------------------------------------------

async function serve () {
  const node = await createNode({ ...optionsFrom([], {}), allow: LOOPBACK, maxConnections: 10000 })
  let received = 0
  const pubsub = node.services.pubsub
  pubsub.addEventListener('message', (evt) => {
    if (evt.detail.topic !== TOPIC) return
    received++
    // Reported in batches so the report itself does not dominate the run.
    if (received % 50 === 0) process.stdout.write(JSON.stringify({ received }) + '\n')
  })
  pubsub.subscribe(TOPIC)
  const input = createInterface({ input: process.stdin })
  input.on('line', () => process.stdout.write(JSON.stringify({ received }) + '\n'))
  input.on('close', () => { node.stop().finally(() => process.exit(0)) })
  process.stdout.write(JSON.stringify({
    event: 'ready',
    peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map(String)
  }) + '\n')
}

// ---- the local side ----------------------------------------------------------------------------

/** Spawns the remote peer; resolves once it is listening. */
async function startRemote () {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], {
    stdio: ['pipe', 'pipe', 'inherit']
  })
  const listeners = new Set()
  const lines = createInterface({ input: child.stdout })
  lines.on('line', (line) => { const msg = JSON.parse(line); for (const l of listeners) l(msg) })
  const ready = await new Promise((resolve, reject) => {
    const onReady = (msg) => { if (msg.event === 'ready') { listeners.delete(onReady); resolve(msg) } }
    listeners.add(onReady)
    child.once('exit', (code) => reject(new Error(`bench peer exited early with code ${code}`)))
  })
  return {
    addr: multiaddr(ready.addrs[0]),
    onLine: (fn) => listeners.add(fn),
    offLine: (fn) => listeners.delete(fn),
    poll: () => child.stdin.write('\n'),
    stop: () => new Promise((resolve) => {
      child.once('exit', resolve)
      child.stdin.end()
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    })
  }
}

function median (sorted) {
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function benchConnect (local, remote, s) {
  const times = []
  const started = performance.now()
  for (let i = 0; i < s.connections; i++) {
    const t0 = performance.now()
    const conn = await local.dial(remote.addr)
    times.push(performance.now() - t0)
    if (conn.status !== 'open' || conn.multiplexer !== '/yamux/1.0.0' || conn.encryption !== '/noise') {
      throw new Error(`connection ${i} not upgraded: ${conn.status} ${conn.encryption} ${conn.multiplexer}`)
    }
    await conn.close()
  }
  const totalMs = performance.now() - started
  times.sort((a, b) => a - b)
  return {
    connections: s.connections,
    connectMedianMs: median(times),
    connectP90Ms: times[Math.floor(times.length * 0.9)],
    connectionsPerSec: s.connections / (totalMs / 1000)
  }
}

async function benchStreams (local, remote, s, streams) {
  const conn = await local.dial(remote.addr)
  const chunk = randomBytes(s.chunkBytes)
  const perStream = Math.floor(s.streamBytes / streams)
  const started = performance.now()
  const counts = await Promise.all(Array.from({ length: streams },
    () => sink(local, conn.remotePeer, perStream, chunk)))
  const elapsedMs = performance.now() - started
  for (const c of counts) {
    if (c !== perStream) throw new Error(`sink counted ${c} bytes, sent ${perStream}`)
  }
  await conn.close()
  const total = perStream * streams
  return { streams, bytes: total, elapsedMs, mbPerSec: total / 1e6 / (elapsedMs / 1000) }
}

async function benchGossip (local, remote, s) {
  const pubsub = local.services.pubsub
  const conn = await local.dial(remote.addr)
  pubsub.subscribe(TOPIC)
  const remoteId = conn.remotePeer.toString()
  while (!pubsub.getMeshPeers(TOPIC).includes(remoteId)) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  let received = 0
  let wake = null
  remote.onLine((msg) => {
    if (typeof msg.received === 'number' && msg.received > received) {
      received = msg.received
      wake?.()
    }
  })
  const waitForReport = () => new Promise((resolve) => {
    wake = resolve
    remote.poll()
  })
  const payload = randomBytes(s.messageBytes)
  const started = performance.now()
  for (let i = 0; i < s.messages; i++) {
    while (i - received >= s.window) await waitForReport()
    // Distinct data per message; the seqno makes ids distinct anyway.
    const data = new Uint8Array(payload)
    new DataView(data.buffer).setUint32(0, i)
    await pubsub.publish(TOPIC, data)
  }
  while (received < s.messages) await waitForReport()
  const elapsedMs = performance.now() - started
  if (received !== s.messages) throw new Error(`subscriber received ${received} of ${s.messages}`)
  await conn.close()
  return {
    messages: s.messages,
    messageBytes: s.messageBytes,
    elapsedMs,
    messagesPerSec: s.messages / (elapsedMs / 1000)
  }
}

async function run (mode, s) {
  const remote = await startRemote()
  const local = await createNode({ ...optionsFrom([], {}), allow: LOOPBACK, maxConnections: 10000 })
  try {
    const figures = {}
    const want = mode === 'all' ? MODES : [mode]
    for (const m of want) {
      if (m === 'connect') figures.connect = await benchConnect(local, remote, s)
      if (m === 'stream') figures.stream = await benchStreams(local, remote, s, 1)
      if (m === 'streams8') figures.streams8 = await benchStreams(local, remote, s, 8)
      if (m === 'gossip') figures.gossip = await benchGossip(local, remote, s)
    }
    return figures
  } finally {
    await local.stop()
    await remote.stop()
  }
}

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'serve') {
  await serve()
} else {
  try {
    if (![...MODES, 'all'].includes(mode)) {
      throw new Error(`usage: node bench.mjs <${[...MODES, 'all'].join('|')}> [--key=value ...]`)
    }
    const s = settingsFrom(rest)
    const timer = setTimeout(() => {
      process.stderr.write(`bench ${mode} did not finish within ${s.timeoutMs} ms\n`)
      process.exit(1)
    }, s.timeoutMs)
    const figures = await run(mode, s)
    clearTimeout(timer)
    process.stdout.write(JSON.stringify({
      mode,
      node: process.version,
      libp2p: JSON.parse(readFileSync(new URL('./node_modules/libp2p/package.json', import.meta.url))).version,
      settings: s,
      ...figures
    }) + '\n')
    process.exit(0)
  } catch (err) {
    process.stderr.write(`bench ${mode} failed: ${err.stack ?? err}\n`)
    process.exit(1)
  }
}
