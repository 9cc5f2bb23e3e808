package io.ecsbridge.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbridge.aws.EcrGateway.Image;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageScanFindingsSummary;
import software.amazon.awssdk.services.ecr.model.ImageScanStatus;
import software.amazon.awssdk.services.ecr.model.ScanStatus;

/** The images a repository reports (the latest N) and the tag lookup of the next step (imageFrom). */
class EcrImagesTest {

  private static Image image(String digest, long pushedSecond, String... tags) {
    return new Image(digest, List.of(tags), Instant.ofEpochSecond(pushedSecond), null, null);
  }

  private static List<String> digests(List<Image> images) {
    return images.stream().map(Image::digest).toList();
  }

  @Test
  void theLatestNByPushTimeNewestFirst() {
    List<Image> listed = List.of(image("sha256:a", 10), image("sha256:b", 50), image("sha256:c", 30),
        image("sha256:d", 40), image("sha256:e", 20), image("sha256:f", 60), image("sha256:g", 5));
    assertThat(digests(Image.latest(listed, 5)))
        .containsExactly("sha256:f", "sha256:b", "sha256:d", "sha256:c", "sha256:e");
    assertThat(digests(Image.latest(listed.subList(0, 2), 5))).as("fewer than N: all of them")
        .containsExactly("sha256:b", "sha256:a");
    assertThat(Image.latest(List.of(), 5)).isEmpty();
  }

  @Test
  void equalPushTimesAreOrderedByDigestWhateverTheListingOrder() {
    List<Image> one = List.of(image("sha256:b", 10), image("sha256:a", 10), image("sha256:c", 10),
        image("sha256:z", 9));
    List<Image> other = List.of(image("sha256:c", 10), image("sha256:z", 9), image("sha256:a", 10),
        image("sha256:b", 10));
    assertThat(digests(Image.latest(one, 3))).containsExactly("sha256:a", "sha256:b", "sha256:c");
    assertThat(Image.latest(other, 3)).isEqualTo(Image.latest(one, 3));
  }

  @Test
  void anImageWithoutPushTimeComesLast() {
    Image unknown = new Image("sha256:0", List.of(), null, null, null);
    assertThat(digests(Image.latest(List.of(unknown, image("sha256:b", 1)), 5)))
        .containsExactly("sha256:b", "sha256:0");
  }

  @Test
  void anImageDetailIsReadWithSortedTagsScanStatusAndCounts() {
    Image read = Image.of(ImageDetail.builder().imageDigest("sha256:a").imageTags("v2", "latest")
        .imagePushedAt(Instant.parse("2025-01-02T03:04:05.678Z"))
        .imageScanStatus(ImageScanStatus.builder().status(ScanStatus.COMPLETE).build())
        .imageScanFindingsSummary(ImageScanFindingsSummary.builder()
            .findingSeverityCountsWithStrings(Map.of("HIGH", 2, "CRITICAL", 1)).build()).build());
    assertThat(read.tags()).containsExactly("latest", "v2");
    assertThat(read.scanStatus()).isEqualTo("COMPLETE");
    assertThat(read.findingSeverityCounts()).containsExactly(Map.entry("CRITICAL", 1), Map.entry("HIGH", 2));
    assertThat(read.scanInProgress()).isFalse();

    Image unscanned = Image.of(ImageDetail.builder().imageDigest("sha256:b").build());
    assertThat(unscanned.tags()).isEmpty();
    assertThat(unscanned.scanStatus()).isNull();
    assertThat(unscanned.findingSeverityCounts()).isEmpty();
    assertThat(new Image("sha256:c", null, null, "IN_PROGRESS", null).scanInProgress()).isTrue();
  }

  @Test
  void aTagResolvesToTheImageItPointsAtNow() {
    FakeEcrGateway ecr = new FakeEcrGateway();
    assertThat(ecr.image("eu-west-1", "web", "v1")).as("no repository").isEmpty();
    ecr.push("web", new Image("sha256:old", List.of("v1", "stable"), Instant.ofEpochSecond(1), "COMPLETE",
        Map.of("LOW", 1)));
    assertThat(ecr.image("eu-west-1", "web", "v1")).map(Image::digest).contains("sha256:old");
    assertThat(ecr.image("eu-west-1", "web", "v2")).as("a tag never pushed").isEmpty();

    ecr.push("web", new Image("sha256:new", List.of("v1"), Instant.ofEpochSecond(2), "IN_PROGRESS", null));
    Image now = ecr.image("eu-west-1", "web", "v1").orElseThrow();
    assertThat(now.digest()).isEqualTo("sha256:new");
    assertThat(now.scanInProgress()).isTrue();
    assertThat(ecr.image("eu-west-1", "web", "stable")).map(Image::digest).contains("sha256:old");
    assertThat(ecr.pushed.get("web")).filteredOn(i -> i.digest().equals("sha256:old")).singleElement()
        .satisfies(i -> assertThat(i.tags()).containsExactly("stable"));
  }
}
