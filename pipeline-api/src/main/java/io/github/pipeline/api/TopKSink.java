package io.github.pipeline.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Keeps the {@code k} first items in a given order, in a bounded heap; see {@link Sink#topK}. Items that
 * compare equal keep their arrival order, so the result is exactly what a stable sort of all the items
 * followed by taking the first {@code k} would give.
 */
final class TopKSink<T> implements Sink<T, List<T>> {

    private final int k;
    private final Comparator<? super T> order;

    TopKSink(int k, Comparator<? super T> order) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.k = k;
        this.order = Objects.requireNonNull(order, "order");
    }

    /** An item and its arrival number, which breaks ties: the earlier item comes first. */
    private record Ranked<T>(T item, long arrival) {
    }

    @Override
    public SinkWriter<T, List<T>> open() {
        Comparator<Ranked<T>> best = (a, b) -> {
            int c = order.compare(a.item(), b.item());
            return c != 0 ? c : Long.compare(a.arrival(), b.arrival());
        };
        return new SinkWriter<>() {
            // the worst kept item on top, so that a better newcomer replaces it in O(log k)
            private final PriorityQueue<Ranked<T>> kept = new PriorityQueue<>(Math.min(k, 1024), best.reversed());
            private long arrivals;

            @Override
            public void accept(T item) {
                long arrival = arrivals++;
                if (kept.size() < k) {
                    kept.add(new Ranked<>(item, arrival));
                } else if (order.compare(item, kept.peek().item()) < 0) {
                    // a later item that ties with the worst kept one never replaces it, so only a strictly
                    // better item is allocated a place
                    kept.poll();
                    kept.add(new Ranked<>(item, arrival));
                }
            }

            @Override
            public List<T> complete() {
                List<Ranked<T>> sorted = new ArrayList<>(kept);
                sorted.sort(best);
                List<T> items = new ArrayList<>(sorted.size());
                for (Ranked<T> ranked : sorted) {
                    items.add(ranked.item());
                }
                return items;
            }
        };
    }

    @Override
    public String description() {
        return "top " + k;
    }
}
