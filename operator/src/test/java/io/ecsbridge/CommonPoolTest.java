package io.ecsbridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommonPoolTest {
  @Test
  void oneOrTwoCpusGetASharedCommonPool() {
    // the JVM's default parallelism is the CPUs less one: CompletableFuture uses the pool only above 1
    assertThat(CommonPool.parallelism(null, 1)).isEqualTo("2");
    assertThat(CommonPool.parallelism(null, 2)).isEqualTo("2");
  }

  @Test
  void moreCpusKeepTheJvmsDefault() {
    assertThat(CommonPool.parallelism(null, 3)).isNull();
    assertThat(CommonPool.parallelism(null, 16)).isNull();
  }

  @Test
  void aParallelismGivenOnTheCommandLineWins() {
    assertThat(CommonPool.parallelism("1", 2)).isNull();
    assertThat(CommonPool.parallelism("4", 1)).isNull();
  }

  @Test
  void aThreadPerTaskIsWarnedOf() {
    assertThat(CommonPool.warning(true, 2)).isNull();
    assertThat(CommonPool.warning(false, 1)).contains("a thread of its own", "parallelism is 1",
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism", "2 or more");
  }
}
