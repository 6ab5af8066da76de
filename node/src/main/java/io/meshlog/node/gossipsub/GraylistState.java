package io.meshlog.node.gossipsub;

import java.time.Instant;

/**
 * Why the router ignores a peer's RPCs: it was found below {@code graylistThreshold}.
 *
 * @param since when the router first found it there (wall time)
 * @param breakdown its score then, as weighted terms, largest penalty first: {@code "score -2,560 =
 *     P6 -2,560"}
 * @param term the term that pulled it down most ({@code "P6"}, ...), or null when none is negative
 */
public record GraylistState(Instant since, String breakdown, String term) {}
