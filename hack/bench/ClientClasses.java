// How many classes building fabric8's Kubernetes client loads, as built (KubernetesClientImpl) or without its
// built-in handlers and API group adapters (a subclass whose registerDefaultHandlers/registerDefaultAdapters do
// nothing): docs/operations.md, "Footprint levers". Connects to nothing. After `make build`:
//   java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp operator/target/ecs-bridge.jar hack/bench/ClientClasses.java [lean]
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.impl.KubernetesClientImpl;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;

public class ClientClasses {
  static final class Lean extends KubernetesClientImpl {
    Lean(HttpClient http, Config config) {
      super(http, config, null, new KubernetesSerialization());
    }

    @Override
    protected void registerDefaultAdapters() {}

    @Override
    protected void registerDefaultHandlers() {}
  }

  public static void main(String[] args) {
    boolean lean = args.length > 0 && args[0].equals("lean");
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
    HttpClient http = new JdkHttpClientFactory().newBuilder(config).build();
    long before = classes.getLoadedClassCount();
    KubernetesClient client = lean ? new Lean(http, config)
        : new KubernetesClientImpl(http, config, null, new KubernetesSerialization());
    long built = classes.getLoadedClassCount();
    client.resources(ConfigMap.class).inNamespace("x");
    client.leases();
    long used = classes.getLoadedClassCount();
    System.out.printf("%s: building the client loads %d classes; %d more with a ConfigMap and a Lease client%n",
        lean ? "lean" : "as built", built - before, used - built);
  }
}
