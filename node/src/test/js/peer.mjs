// A js-libp2p peer driven by JSON lines, for meshlog's interop tests.
//
//   stdin : {"id":7,"cmd":"ping","args":{"peer":"12D3KooW..."}}
//   stdout: {"id":7,"ok":true,"result":{"rttMs":0.8}}   or   {"id":7,"ok":false,"error":"..."}
//           {"event":"ready","peerId":"12D3KooW...","addrs":["/ip4/127.0.0.1/tcp/4011/p2p/..."]}
//           {"event":"message","topic":..,"from":..,"seqno":..,"data":<base64>,"msgId":<base64>,..}
//           {"event":"peer:connect","peer":..}  {"event":"peer:disconnect","peer":..}
//           {"event":"connection:open"/"connection:close","id":..,"peer":..,"remoteAddr":..,"direction":..}
//           {"event":"subscription-change",..}  {"event":"graft",..}  {"event":"prune",..}
//           {"event":"uncaught","kind":..,"error":..}  (an error js-libp2p did not handle)
//
// Options: --key=value or JSPEER_KEY (see DEFAULT_OPTIONS in lib/node.mjs). The process stops when
// stdin closes (so it never outlives the harness) or on the "stop" command. Logging stays off
// unless DEBUG is set (e.g. DEBUG='libp2p:*'), and then goes to stderr.
import './lib/compat.mjs'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'

const { createNode, echo, optionsFrom, ECHO_PROTOCOL } = await import('./lib/node.mjs')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

const options = optionsFrom(process.argv.slice(2), process.env)
const node = await createNode(options)
const pubsub = node.services.pubsub

// Ids of messages this peer published, keyed by the data array handed to publish: gossipsub
// computes the id inside publish and does not return it, but passes that same array to msgIdFn.
const publishedIds = new WeakMap()
if (pubsub != null) {
  const defaultMsgIdFn = pubsub.msgIdFn
  pubsub.msgIdFn = async (msg) => {
    const id = await defaultMsgIdFn(msg)
    if (msg.data != null) publishedIds.set(msg.data, id)
    return id
  }
  pubsub.addEventListener('gossipsub:message', (evt) => {
    const { msg, msgId, propagationSource } = evt.detail
    emit({
      event: 'message',
      topic: msg.topic,
      from: msg.type === 'signed' ? msg.from.toString() : null,
      seqno: msg.type === 'signed' ? msg.sequenceNumber.toString() : null,
      data: Buffer.from(msg.data).toString('base64'),
      msgId,
      via: propagationSource.toString()
    })
  })
  pubsub.addEventListener('subscription-change', (evt) => {
    emit({
      event: 'subscription-change',
      peer: evt.detail.peerId.toString(),
      subscriptions: evt.detail.subscriptions.map(s => ({ topic: s.topic, subscribe: s.subscribe }))
    })
  })
  pubsub.addEventListener('gossipsub:graft', (evt) => {
    emit({ event: 'graft', peer: evt.detail.peerId.toString(), topic: evt.detail.topic })
  })
  pubsub.addEventListener('gossipsub:prune', (evt) => {
    emit({ event: 'prune', peer: evt.detail.peerId.toString(), topic: evt.detail.topic })
  })
}
node.addEventListener('peer:connect', (evt) => emit({ event: 'peer:connect', peer: evt.detail.toString() }))
node.addEventListener('peer:disconnect', (evt) => emit({ event: 'peer:disconnect', peer: evt.detail.toString() }))
node.addEventListener('connection:open', (evt) => emit({ event: 'connection:open', ...connectionSummary(evt.detail) }))
node.addEventListener('connection:close', (evt) => emit({ event: 'connection:close', ...connectionSummary(evt.detail) }))
node.addEventListener('peer:identify', (evt) => {
  emit({ event: 'peer:identify', peer: evt.detail.peerId.toString(), protocols: evt.detail.protocols })
})

function needPubsub () {
  if (pubsub == null) throw new Error('gossipsub is off (started with --gossip=false)')
  return pubsub
}

function arg (args, name) {
  const v = args?.[name]
  if (v == null) throw new Error(`missing argument ${name}`)
  return v
}

const peerArg = (args) => peerIdFromString(String(arg(args, 'peer')))
const textDecoder = new TextDecoder()

function connectionSummary (c) {
  return { id: c.id, peer: c.remotePeer.toString(), remoteAddr: c.remoteAddr.toString(), direction: c.direction }
}

function describeConnection (c) {
  return {
    id: c.id,
    peer: c.remotePeer.toString(),
    remoteAddr: c.remoteAddr.toString(),
    direction: c.direction,
    status: c.status,
    encryption: c.encryption ?? null,
    multiplexer: c.multiplexer ?? null,
    streams: c.streams.map(s => ({ id: s.id, protocol: s.protocol ?? null, direction: s.direction, status: s.status }))
  }
}

const commands = {
  async dial (args) {
    const conn = await node.dial(multiaddr(String(arg(args, 'addr'))))
    return describeConnection(conn)
  },
  async hangup (args) {
    await node.hangUp(peerArg(args))
    return {}
  },
  async connections () {
    return node.getConnections().map(describeConnection)
  },
  async peerInfo (args) {
    const peer = await node.peerStore.get(peerArg(args))
    const meta = (key) => {
      const v = peer.metadata.get(key)
      return v == null ? null : textDecoder.decode(v)
    }
    return {
      peer: peer.id.toString(),
      agentVersion: meta('AgentVersion'),
      protocolVersion: meta('ProtocolVersion'),
      protocols: [...peer.protocols],
      addresses: peer.addresses.map(a => ({ addr: a.multiaddr.toString(), certified: a.isCertified })),
      hasPeerRecord: peer.peerRecordEnvelope != null
    }
  },
  async ping (args) {
    return { rttMs: await node.services.ping.ping(peerArg(args)) }
  },
  async echo (args) {
    const data = args?.size != null
      ? randomBytes(Number(args.size))
      : Buffer.from(String(arg(args, 'data')), 'base64')
    const keep = args?.size == null
    const r = await echo(node, peerArg(args), String(args?.protocol ?? ECHO_PROTOCOL), data,
      Number(args?.streams ?? 1), true)
    return {
      matched: r.matched,
      bytes: r.bytes,
      elapsedMs: r.elapsedMs,
      echoed: keep ? r.echoed.toString('base64') : null
    }
  },
  async subscribe (args) {
    needPubsub().subscribe(String(arg(args, 'topic')))
    return {}
  },
  async unsubscribe (args) {
    needPubsub().unsubscribe(String(arg(args, 'topic')))
    return {}
  },
  async publish (args) {
    const data = new Uint8Array(Buffer.from(String(arg(args, 'data')), 'base64'))
    const result = await needPubsub().publish(String(arg(args, 'topic')), data)
    const id = publishedIds.get(data)
    return {
      msgId: id == null ? null : pubsub.msgIdToStrFn(id),
      recipients: result.recipients.map(p => p.toString())
    }
  },
  async meshPeers (args) {
    return needPubsub().getMeshPeers(String(arg(args, 'topic')))
  },
  async getSubscribers (args) {
    return needPubsub().getSubscribers(String(arg(args, 'topic'))).map(p => p.toString())
  },
  async topics () {
    return needPubsub().getTopics()
  },
  async pubsubPeers () {
    return needPubsub().getPeers().map(p => p.toString())
  },
  async peerScore (args) {
    return { score: needPubsub().getScore(String(arg(args, 'peer'))) }
  },
  async stop () {
    setImmediate(shutdown)
    return {}
  }
}

async function handle (line) {
  let request
  try {
    request = JSON.parse(line)
  } catch (err) {
    emit({ event: 'error', error: `not JSON: ${err.message}` })
    return
  }
  const { id, cmd, args } = request
  const fn = Object.hasOwn(commands, cmd) ? commands[cmd] : null
  if (fn == null) {
    emit({ id, ok: false, error: `unknown command ${cmd}` })
    return
  }
  try {
    emit({ id, ok: true, result: await fn(args ?? {}) })
  } catch (err) {
    emit({ id, ok: false, error: `${err.name ?? 'Error'}: ${err.message}` })
  }
}

let stopping = false
async function shutdown () {
  if (stopping) return
  stopping = true
  // node.stop() waits for connections to close; never let that keep the process alive.
  setTimeout(() => process.exit(0), 3000).unref()
  try {
    await node.stop()
  } finally {
    emit({ event: 'stopped' })
    process.exit(0)
  }
}

// js-libp2p 3.x lets some connection errors escape as uncaught exceptions (e.g. yamux's "Remote
// sent GoAway" when the remote closes with an error code), which would kill the peer mid-test.
// Report them instead, so a test can see and assert on them, and keep serving.
function reportUncaught (kind) {
  return (err) => {
    process.stderr.write(`${kind}: ${err?.stack ?? err}\n`)
    emit({ event: 'uncaught', kind, error: `${err?.name ?? 'Error'}: ${err?.message ?? err}` })
  }
}
process.on('uncaughtException', reportUncaught('uncaughtException'))
process.on('unhandledRejection', reportUncaught('unhandledRejection'))
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
const input = createInterface({ input: process.stdin })
input.on('line', (line) => {
  if (line.trim() !== '') handle(line)
})
input.on('close', shutdown)

emit({
  event: 'ready',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(a => a.toString()),
  options
})
