// Node 20 lacks Promise.withResolvers (native from Node 22); js-libp2p 3.x calls it at run time.
// Imported before any libp2p module so that every later import sees it.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve
    let reject
    const promise = new this((res, rej) => {
      resolve = res
      reject = rej
    })
    return { promise, resolve, reject }
  }
}
