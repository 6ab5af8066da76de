package io.meshlog.reconciliation.order;

import java.util.Comparator;

/**
 * A sorted set that says in O(log n) how many of its elements come before a given one: the row
 * number of a message in a topic's order, which {@code TreeMap.headMap(k).size()} counts one
 * element at a time (a confirmation cost O(rows), so a backlog of n rows cost O(n²) to confirm).
 *
 * <p>A treap whose nodes carry their subtree's size. Priorities come from a fixed-seed generator:
 * the shape, never the answers, depends on them. Not thread-safe: owned by one thread.
 */
final class RankedSet<E> {

  private static final class Node<E> {
    final E value;
    final int priority;
    Node<E> left;
    Node<E> right;
    int size = 1;

    Node(E value, int priority) {
      this.value = value;
      this.priority = priority;
    }
  }

  private final Comparator<? super E> order;
  private Node<E> root;
  private int seed = 0x9E3779B9;

  RankedSet(Comparator<? super E> order) {
    this.order = order;
  }

  int size() {
    return size(root);
  }

  /**
   * @return false when an equal element is already here
   */
  boolean add(E e) {
    int before = size();
    root = insert(root, e);
    return size() != before;
  }

  /**
   * @return false when no equal element was here
   */
  boolean remove(E e) {
    int before = size();
    root = delete(root, e);
    return size() != before;
  }

  /** How many elements come before {@code e} (whether or not {@code e} itself is here). */
  int rank(E e) {
    int r = 0;
    Node<E> n = root;
    while (n != null) {
      int c = order.compare(e, n.value);
      if (c <= 0) {
        n = n.left;
      } else {
        r += size(n.left) + 1;
        n = n.right;
      }
    }
    return r;
  }

  private Node<E> insert(Node<E> n, E e) {
    if (n == null) {
      return new Node<>(e, nextPriority());
    }
    int c = order.compare(e, n.value);
    if (c == 0) {
      return n;
    }
    if (c < 0) {
      n.left = insert(n.left, e);
      if (n.left.priority > n.priority) {
        n = rotateRight(n);
      }
    } else {
      n.right = insert(n.right, e);
      if (n.right.priority > n.priority) {
        n = rotateLeft(n);
      }
    }
    resize(n);
    return n;
  }

  private Node<E> delete(Node<E> n, E e) {
    if (n == null) {
      return null;
    }
    int c = order.compare(e, n.value);
    if (c < 0) {
      n.left = delete(n.left, e);
    } else if (c > 0) {
      n.right = delete(n.right, e);
    } else {
      return merge(n.left, n.right);
    }
    resize(n);
    return n;
  }

  /** Joins two treaps whose every element of {@code a} comes before every one of {@code b}. */
  private Node<E> merge(Node<E> a, Node<E> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (a.priority > b.priority) {
      a.right = merge(a.right, b);
      resize(a);
      return a;
    }
    b.left = merge(a, b.left);
    resize(b);
    return b;
  }

  private Node<E> rotateRight(Node<E> n) {
    Node<E> l = n.left;
    n.left = l.right;
    l.right = n;
    resize(n);
    resize(l);
    return l;
  }

  private Node<E> rotateLeft(Node<E> n) {
    Node<E> r = n.right;
    n.right = r.left;
    r.left = n;
    resize(n);
    resize(r);
    return r;
  }

  private static <E> int size(Node<E> n) {
    return n == null ? 0 : n.size;
  }

  private static <E> void resize(Node<E> n) {
    n.size = 1 + size(n.left) + size(n.right);
  }

  private int nextPriority() { // xorshift32
    int x = seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    seed = x;
    return x;
  }
}
