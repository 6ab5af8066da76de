package io.meshlog.tools.process;

/**
 * A running node could not be asked: none runs in the data directory, its process is gone, its JMX
 * refused the credentials or did not answer in time. The message says where it was looked for.
 */
public final class NodeUnreachableException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String peerId;

  /**
   * @param reason why, naming the directory or URL that was tried
   * @param peerId the node's peer id when it is known (from its consoles file), else empty
   */
  public NodeUnreachableException(String reason, String peerId) {
    super(reason);
    this.peerId = peerId;
  }

  /** The node's peer id when it is known, else empty. */
  public String peerId() {
    return peerId;
  }
}
