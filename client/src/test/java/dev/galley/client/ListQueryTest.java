package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.core.lifecycle.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListQueryTest {
    @Test
    void defaultsSendNothing() {
        assertThat(ListQuery.defaults().toQueryString()).isEmpty();
    }

    @Test
    void filtersAreEncodedSoValuesCannotBreakTheQuery() {
        String q = ListQuery.first(50).page(2).sort("-created_at").filter("name", "a&b=c d+e#f").filter("status", "PENDING,RUNNING")
                .toQueryString();
        assertThat(q).isEqualTo("?page=2&limit=50&sort=-created_at&filter%5Bname%5D=a%26b%3Dc%20d%2Be%23f"
                + "&filter%5Bstatus%5D=PENDING%2CRUNNING");
    }

    @Test
    void aSetOfStatusesIsSentAsACommaList() {
        assertThat(ListQuery.defaults().filterAnyOf("status", List.of(JobStatus.PENDING, JobStatus.RUNNING)).toQueryString())
                .isEqualTo("?filter%5Bstatus%5D=PENDING%2CRUNNING");
        assertThat(ListQuery.defaults().filter("status", "X").filterAnyOf("status", List.<JobStatus>of()).toQueryString()).isEmpty();
    }

    @Test
    void aNullFilterRemovesItAndBadPagingIsRefused() {
        assertThat(ListQuery.defaults().filter("status", "X").filter("status", null).toQueryString()).isEmpty();
        assertThatThrownBy(() -> ListQuery.defaults().page(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListQuery.defaults().limit(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
