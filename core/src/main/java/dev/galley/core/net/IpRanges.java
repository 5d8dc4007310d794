package dev.galley.core.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists of {@link IpRange}s read as sets of addresses. Two CIDR ranges either nest or are disjoint, so the
 * intersection of two lists is made of ranges taken from the lists themselves, never of new ones.
 *
 * <p>These are plain set operations: an empty list is the empty set. What an empty {@code allowed_ips} means
 * ("from anywhere") is the caller's rule, not this class's.
 */
public final class IpRanges {
    private IpRanges() {}

    /** The addresses in both lists, as ranges of {@code a} or {@code b}, none inside another, in the order of {@code a}. */
    public static List<IpRange> intersection(List<IpRange> a, List<IpRange> b) {
        List<IpRange> out = new ArrayList<>();
        for (IpRange x : a) {
            for (IpRange y : b) {
                if (x.containsRange(y)) out.add(y);
                else if (y.containsRange(x)) out.add(x);
            }
        }
        return withoutNested(out);
    }

    /** True when every address of {@code range} lies in some range of {@code set} (possibly spread over several). */
    public static boolean covers(List<IpRange> set, IpRange range) {
        BigInteger covered = BigInteger.ZERO;
        for (IpRange piece : intersection(List.of(range), set)) covered = covered.add(piece.size());
        return covered.equals(range.size()); // the pieces are disjoint and inside range
    }

    /** The list without duplicates and without ranges inside another of its ranges: what is left is disjoint. */
    public static List<IpRange> withoutNested(List<IpRange> ranges) {
        List<IpRange> out = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            IpRange r = ranges.get(i);
            boolean redundant = false;
            for (int j = 0; j < ranges.size() && !redundant; j++) {
                if (i == j) continue;
                IpRange other = ranges.get(j);
                // Of two equal ranges the first one stays; a range strictly inside another always goes.
                redundant = other.containsRange(r) && (!r.containsRange(other) || j < i);
            }
            if (!redundant) out.add(r);
        }
        return out;
    }
}
