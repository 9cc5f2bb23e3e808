package io.ecsbridge.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real peers of the integration tests, started once per test JVM and stopped when it exits: a kube-apiserver
 * with etcd (CRDs from crds/ installed) and a moto server. Tests isolate themselves by namespace, and reset moto.
 */
public final class TestEnvironment {
  public static final String REGION = "us-east-1";
  public static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  /** How long a deployment takes to roll out in the moto extension. */
  public static final double ROLLOUT_SECONDS = 1.5;

  private static TestEnvironment instance;

  private final ControlPlane kube;
  private final MotoServer moto;

  private TestEnvironment(ControlPlane kube, MotoServer moto) {
    this.kube = kube;
    this.moto = moto;
  }

  public static synchronized TestEnvironment get() {
    if (instance == null) {
      try {
        ControlPlane kube = ControlPlane.start();
        kube.installCrds();
        MotoServer moto = MotoServer.start(ROLLOUT_SECONDS);
        instance = new TestEnvironment(kube, moto);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          moto.close();
          kube.close();
        }, "test-environment-stop"));
      } catch (Exception e) {
        throw new IllegalStateException("could not start the test environment: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  public ControlPlane kube() {
    return kube;
  }

  public MotoServer moto() {
    return moto;
  }
}
