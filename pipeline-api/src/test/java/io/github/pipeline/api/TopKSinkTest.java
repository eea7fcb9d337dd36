package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The top-K sink gives what a stable sort of all items followed by taking the first K gives. */
class TopKSinkTest {

    /** A word and its count; many share a count, so ties are common. */
    record Counted(String word, long count) {
    }

    private static <T> List<T> topK(int k, Comparator<? super T> order, List<T> items) throws Exception {
        SinkWriter<T, List<T>> writer = Sink.<T>topK(k, order).open();
        for (T item : items) {
            writer.accept(item);
        }
        return writer.complete();
    }

    private static List<Counted> randomCounts(long seed, int size) {
        Random random = new Random(seed);
        List<Counted> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            items.add(new Counted("w" + random.nextInt(1_000_000), random.nextInt(20)));
        }
        return items;
    }

    @Test
    void mostFrequentFirstTiesAlphabeticalEqualsSortingEverything() throws Exception {
        Comparator<Counted> mostFrequentFirst = Comparator.comparingLong(Counted::count).reversed()
                .thenComparing(Counted::word);
        for (long seed = 1; seed <= 20; seed++) {
            List<Counted> items = randomCounts(seed, 5_000);
            for (int k : new int[] {1, 10, 333, 5_000, 6_000}) {
                assertThat(topK(k, mostFrequentFirst, items))
                        .isEqualTo(items.stream().sorted(mostFrequentFirst).limit(k).toList());
            }
        }
    }

    @Test
    void itemsThatCompareEqualKeepTheirArrivalOrder() throws Exception {
        // only the count is compared: ties are broken by arrival, as a stable sort breaks them
        Comparator<Counted> byCountOnly = Comparator.comparingLong(Counted::count).reversed();
        List<Counted> items = randomCounts(7, 5_000);

        assertThat(topK(100, byCountOnly, items)).isEqualTo(items.stream().sorted(byCountOnly).limit(100).toList());
    }

    @Test
    void fewerItemsThanKGiveThemAllInOrderAndBadKIsRejected() throws Exception {
        assertThat(topK(5, Comparator.<Integer>naturalOrder(), List.of(3, 1, 2))).containsExactly(1, 2, 3);
        assertThat(topK(5, Comparator.<Integer>naturalOrder(), List.of())).isEmpty();
        assertThatThrownBy(() -> Sink.topK(0, Comparator.<Integer>naturalOrder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("k must be at least 1, got 0");
        assertThat(Sink.topK(10, Comparator.<Integer>naturalOrder()).description()).isEqualTo("top 10");
    }
}
