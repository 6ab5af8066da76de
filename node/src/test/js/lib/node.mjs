// Builds the js-libp2p node that meshlog's interop tests and benchmarks talk to: TCP on loopback,
// Noise, Yamux, identify, ping, gossipsub, and meshlog's echo protocol. Import ./compat.mjs first.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'

export const ECHO_PROTOCOL = '/meshlog/echo/1.0.0'
/** Reads everything the dialer sends, then answers with the byte count (8 bytes, big-endian). */
export const SINK_PROTOCOL = '/meshlog/sink/1.0.0'

/** Largest piece handed to stream.send at once, so back-pressure is honoured while writing. */
const WRITE_CHUNK = 64 * 1024

/**
 * Options understood by createNode, with their defaults. Every key can be given on the command
 * line as --key=value or in the environment as JSPEER_KEY (upper case), see optionsFrom.
 */
export const DEFAULT_OPTIONS = Object.freeze({
  listen: '/ip4/127.0.0.1/tcp/0',
  privateKey: '', // base64 of a libp2p PrivateKey protobuf; empty = fresh Ed25519 key
  gossip: true, // run the gossipsub service
  D: 6,
  Dlo: 4,
  Dhi: 12,
  heartbeatMs: 1000,
  scoring: true, // false: every score weight zero and every threshold far below any score
  emitSelf: false,
  floodPublish: true,
  allowPublishToZeroTopicPeers: false,
  maxConnections: 300,
  allow: '', // comma-separated multiaddrs (e.g. /ip4/127.0.0.1/ipcidr/32) exempt from inbound limits
  trust: '', // comma-separated peer ids scored app-specific 1 (x weight 10): their PX is followed
  colocationWhitelist: '' // comma-separated IPs that IP colocation (P6) never scores
})

/** Merges --key=value arguments and JSPEER_KEY variables over the defaults; unknown keys throw. */
export function optionsFrom (argv, env) {
  const options = { ...DEFAULT_OPTIONS }
  const set = (key, raw, origin) => {
    if (!(key in DEFAULT_OPTIONS)) {
      throw new Error(`unknown option ${origin}`)
    }
    const def = DEFAULT_OPTIONS[key]
    if (typeof def === 'number') {
      const n = Number(raw)
      if (!Number.isFinite(n)) throw new Error(`option ${origin}: not a number: ${raw}`)
      options[key] = n
    } else if (typeof def === 'boolean') {
      if (!['true', 'false', 'on', 'off', '1', '0'].includes(String(raw))) {
        throw new Error(`option ${origin}: not a boolean: ${raw}`)
      }
      options[key] = ['true', 'on', '1'].includes(String(raw))
    } else {
      options[key] = String(raw)
    }
  }
  for (const key of Object.keys(DEFAULT_OPTIONS)) {
    const name = 'JSPEER_' + key.toUpperCase()
    if (env[name] != null && env[name] !== '') set(key, env[name], name)
  }
  for (const arg of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(arg)
    if (m == null) throw new Error(`expected --key=value, got ${arg}`)
    set(m[1], m[2], '--' + m[1])
  }
  return options
}

function gossipOptions (o) {
  const init = {
    D: o.D,
    Dlo: o.Dlo,
    Dhi: o.Dhi,
    heartbeatInterval: o.heartbeatMs,
    emitSelf: o.emitSelf,
    floodPublish: o.floodPublish,
    allowPublishToZeroTopicPeers: o.allowPublishToZeroTopicPeers
  }
  if (o.scoring && (o.trust !== '' || o.colocationWhitelist !== '')) {
    // A user's node trusts the node it was told to join (as meshlog trusts its configured peers),
    // so that node's peer exchange (accepted from a score of 10 up) is followed.
    const trusted = new Set(o.trust === '' ? [] : o.trust.split(','))
    init.scoreParams = {
      appSpecificScore: (peer) => trusted.has(peer) ? 1 : 0,
      IPColocationFactorWhitelist: new Set(o.colocationWhitelist === '' ? [] : o.colocationWhitelist.split(','))
    }
  }
  if (!o.scoring) {
    init.scoreParams = {
      topics: {},
      appSpecificWeight: 0,
      IPColocationFactorWeight: 0,
      behaviourPenaltyWeight: 0
    }
    init.scoreThresholds = {
      gossipThreshold: -1e12,
      publishThreshold: -2e12,
      graylistThreshold: -3e12,
      acceptPXThreshold: 1e12,
      opportunisticGraftThreshold: 1e12
    }
  }
  return init
}

/** Creates and starts a node; the echo protocol is registered before this resolves. */
export async function createNode (o = DEFAULT_OPTIONS) {
  const services = {
    identify: identify(),
    ping: ping()
  }
  if (o.gossip) services.pubsub = gossipsub(gossipOptions(o))
  const config = {
    addresses: { listen: [o.listen] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: o.maxConnections,
      allow: o.allow === '' ? [] : o.allow.split(',')
    },
    services
  }
  if (o.privateKey !== '') {
    config.privateKey = privateKeyFromProtobuf(Buffer.from(o.privateKey, 'base64'))
  }
  const node = await createLibp2p(config)
  const limits = { maxInboundStreams: 1024, maxOutboundStreams: 1024 }
  await node.handle(ECHO_PROTOCOL, serveEcho, limits)
  await node.handle(SINK_PROTOCOL, serveSink, limits)
  return node
}

async function serveSink (stream) {
  try {
    const { total } = await readAll(stream, false)
    const reply = Buffer.alloc(8)
    reply.writeBigUInt64BE(BigInt(total))
    stream.send(reply)
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}

/** Sends `bytes` bytes of data on a sink stream; resolves to the count the remote reports. */
export async function sink (node, peer, bytes, chunk) {
  const stream = await node.dialProtocol(peer, SINK_PROTOCOL, { maxOutboundStreams: 1024 })
  const reading = readAll(stream, true)
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    const piece = bytes - sent >= chunk.length ? chunk : chunk.subarray(0, bytes - sent)
    if (!stream.send(piece)) await stream.onDrain()
  }
  await stream.close()
  const { bytes: reply } = await reading
  if (reply.length !== 8) throw new Error(`sink answered ${reply.length} bytes, expected 8`)
  return Number(reply.readBigUInt64BE(0))
}

/** Echo server: sends back every byte read, then closes its write side once the remote has. */
async function serveEcho (stream) {
  try {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}

/** Writes all of data with back-pressure, then closes the write side. */
export async function writeAll (stream, data) {
  for (let off = 0; off < data.length; off += WRITE_CHUNK) {
    if (!stream.send(data.subarray(off, Math.min(off + WRITE_CHUNK, data.length)))) {
      await stream.onDrain()
    }
  }
  await stream.close()
}

/** Reads until the remote closes its write side; returns the byte count and, if keep, the bytes. */
export async function readAll (stream, keep = true) {
  const parts = []
  let total = 0
  for await (const chunk of stream) {
    const bytes = chunk.subarray()
    total += bytes.length
    if (keep) parts.push(bytes)
  }
  return { total, bytes: keep ? Buffer.concat(parts, total) : null }
}

/**
 * Opens `streams` echo streams to peer in parallel, writes data on each, closes the write side and
 * reads the echo back. Resolves to { matched, bytes, elapsedMs, echoed } where echoed holds the
 * bytes returned on the first stream (only when keep is true).
 */
export async function echo (node, peer, protocol, data, streams, keep = true) {
  const started = performance.now()
  const results = await Promise.all(Array.from({ length: streams }, async () => {
    const stream = await node.dialProtocol(peer, protocol, { maxOutboundStreams: 1024 })
    const reading = readAll(stream, true)
    await writeAll(stream, data)
    const { total, bytes } = await reading
    return { total, matched: total === data.length && Buffer.compare(bytes, data) === 0, bytes }
  }))
  const elapsedMs = performance.now() - started
  return {
    matched: results.every(r => r.matched),
    bytes: results.reduce((sum, r) => sum + r.total, 0),
    elapsedMs,
    echoed: keep ? results[0].bytes : null
  }
}
