package io.ecsbridge.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real peers of the integration tests, started once per test JVM and stopped when it exits: a kube-apiserver
 * with etcd, or a k3s container under -Pk3s ({@link ControlPlane#chosen()}), with the CRDs from crds/ installed, and a
 * moto server. Tests isolate themselves by namespace, and reset moto.
 */
public final class TestEnvironment {
  public static final String REGION = "us-east-1";
  public static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  /** How long a deployment takes to roll out in the moto extension. */
  public static final double ROLLOUT_SECONDS = 1.5;

  private static TestEnvironment instance;
  private static RuntimeException failure;

  private final ControlPlane kube;
  private final MotoServer moto;

  private TestEnvironment(ControlPlane kube, MotoServer moto) {
    this.kube = kube;
    this.moto = moto;
  }

  /**
   * The environment of this JVM, started on first use. A failed start is not tried again for every test (each try
   * would start another kube-apiserver): every later call fails at once with the same error.
   */
  public static synchronized TestEnvironment get() {
    if (failure != null) {
      throw failure;
    }
    if (instance == null) {
      ControlPlane kube = null;
      MotoServer moto = null;
      try {
        kube = ControlPlane.chosen();
        ControlPlane startedKube = kube;
        Runtime.getRuntime().addShutdownHook(new Thread(startedKube::close, "test-kube-stop"));
        kube.installCrds();
        moto = MotoServer.start(ROLLOUT_SECONDS, MotoServer.bindAddress(kube));
        MotoServer startedMoto = moto;
        Runtime.getRuntime().addShutdownHook(new Thread(startedMoto::close, "test-moto-stop"));
        instance = new TestEnvironment(kube, moto);
      } catch (org.opentest4j.TestAbortedException e) {
        // the chosen control plane cannot run here (k3s without a Docker engine): every test is skipped for it
        failure = e;
        throw e;
      } catch (Exception e) {
        failure = new IllegalStateException("could not start the test environment: " + e.getMessage(), e);
        throw failure;
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
