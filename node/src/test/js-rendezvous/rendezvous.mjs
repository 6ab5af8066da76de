// A js-libp2p rendezvous client (@canvas-js/libp2p-rendezvous) run once against a directory, for
// meshlog's interop tests:
//
//   node rendezvous.mjs --directory=/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... --ns=lobby [--ttl=S]
//                       [--limit=N] [--hold=true]
//
// On one stream it sends REGISTER{ns, its signed peer record, ttl}, DISCOVER{ns, limit},
// UNREGISTER{ns}, then DISCOVER{ns} again: requests on a stream are answered in order, so that
// last answer comes after the directory has read the UNREGISTER, which has no answer of its own.
// stdout, one JSON object a line:
//   {"event":"ready","peerId":..,"addrs":[..]}
//   {"event":"registered","ns":..,"ttl":7200}                 (the TTL the directory granted)
//   {"event":"discovered","ns":..,"peers":[{"peerId":..,"addrs":[..],"record":{..}}]}
//   {"event":"unregistered","ns":..,"peersAfter":[..]}          (the second DISCOVER's answer)
//   {"event":"refused","request":"register"|"discover","status":"E_INVALID_TTL"}
//   {"event":"error","message":..}
// "record" is the peer's signed peer record opened again here: its signer and its addresses.
// With --hold=true it waits after the first DISCOVER until stdin brings the command
// {"id":N,"cmd":"unregister"} (answered {"id":N,"ok":true,"result":{..}} when done), so that a
// test can look at the directory in between. It exits when done, 0 if every answer was OK.
import '../js/lib/compat.mjs'
import { createInterface } from 'node:readline'

const { createLibp2p } = await import('libp2p')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { tcp } = await import('@libp2p/tcp')
const { identify } = await import('@libp2p/identify')
const { multiaddr } = await import('@multiformats/multiaddr')
const { PeerRecord, RecordEnvelope } = await import('@libp2p/peer-record')
const { RendezvousClient, rendezvousClient } = await import('@canvas-js/libp2p-rendezvous/client')

// The package's default protocol id is its own (/canvas/rendezvous/1.0.0); the messages are the
// spec's, so with the spec's id it talks to any rendezvous point. Set before the node starts:
// the service registers its topology under this id when it starts.
RendezvousClient.protocol = '/rendezvous/1.0.0'

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function options (argv) {
  const out = { directory: '', ns: '', ttl: 0, limit: 0, hold: false }
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a)
    if (m == null || !(m[1] in out)) throw new Error(`unknown argument ${a}`)
    const def = out[m[1]]
    out[m[1]] = typeof def === 'number' ? Number(m[2]) : typeof def === 'boolean' ? m[2] === 'true' : m[2]
  }
  if (out.directory === '' || out.ns === '') throw new Error('--directory and --ns are required')
  return out
}

// The client throws new Error(status) when an answer is not OK; the status is the enum's name.
class Refused extends Error {
  constructor (request, err) {
    super(`${request} refused: ${err.message}`)
    this.request = request
    this.status = err.message
  }
}

async function describe (peer) {
  const envelope = await RecordEnvelope.openAndCertify(peer.peerRecordEnvelope, PeerRecord.DOMAIN)
  const record = PeerRecord.createFromProtobuf(envelope.payload)
  return {
    peerId: peer.id.toString(),
    addrs: peer.addresses.map(a => a.multiaddr.toString()),
    record: {
      peerId: record.peerId.toString(),
      signer: envelope.publicKey == null ? null : envelope.publicKey.toString(),
      seq: record.seqNumber.toString(),
      addrs: record.multiaddrs.map(a => a.toString())
    }
  }
}

async function request (name, call) {
  try {
    return await call()
  } catch (err) {
    // A refusal is an Error whose message is the status name; anything else is a real failure.
    if (/^E_[A-Z_]+$/.test(err.message)) throw new Refused(name, err)
    throw err
  }
}

/** Resolves with the id of the first {"cmd":"unregister"} command on stdin. */
function unregisterCommand () {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin })
    lines.on('line', (line) => {
      const msg = JSON.parse(line)
      if (msg.cmd === 'unregister') {
        resolve(msg.id) // first: closing emits 'close' at once, and a settled promise ignores it
        lines.close()
      } else {
        emit({ id: msg.id, ok: false, error: `unknown command ${msg.cmd}` })
      }
    })
    lines.on('close', () => reject(new Error('stdin closed before the unregister command')))
  })
}

const opts = options(process.argv.slice(2))
const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), rendezvous: rendezvousClient({ autoDiscover: false }) }
})
emit({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })

let code = 0
try {
  await node.services.rendezvous.connect(multiaddr(opts.directory), async (point) => {
    const { ttl } = await request('register', () =>
      point.register(opts.ns, { multiaddrs: node.getMultiaddrs(), ttl: opts.ttl }))
    emit({ event: 'registered', ns: opts.ns, ttl })
    const peers = await request('discover', () => point.discover(opts.ns, { limit: opts.limit }))
    emit({ event: 'discovered', ns: opts.ns, peers: await Promise.all(peers.map(describe)) })
    const commandId = opts.hold ? await unregisterCommand() : null
    await point.unregister(opts.ns)
    const after = await request('discover', () => point.discover(opts.ns))
    const result = { ns: opts.ns, peersAfter: after.map(p => p.id.toString()) }
    emit({ event: 'unregistered', ...result })
    if (commandId != null) emit({ id: commandId, ok: true, result })
  })
} catch (err) {
  code = 1
  if (err instanceof Refused) {
    emit({ event: 'refused', request: err.request, status: err.status })
  } else {
    emit({ event: 'error', message: String(err?.stack ?? err) })
  }
} finally {
  await node.stop()
}
process.exit(code)
