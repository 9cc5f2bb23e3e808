package io.ecsbridge.kinds.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbridge.api.v1alpha1.ContainerDefinition;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.EnvironmentFrom;
import io.ecsbridge.api.v1alpha1.ContainerDefinition.SecretVariable;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinition;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionSpec;
import io.ecsbridge.api.v1alpha1.EcsTaskDefinitionStatus;
import io.ecsbridge.aws.SecretsGateway;
import io.ecsbridge.cache.LeanItemStore;
import io.ecsbridge.contract.Ownership;
import io.ecsbridge.contract.StartupAdds;
import io.ecsbridge.status.EventRecorder;
import io.ecsbridge.status.Health;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An EcsTaskDefinition's Secret references: {@code secrets[].secretKeyRef} and {@code environmentFrom[].secretRef},
 * read from Secrets of the resource's own namespace in the informer's cache, stored in one Secrets Manager secret the
 * operator owns (a JSON object, one member per Secret key referenced, named {@code <Secret>/<key>}) and referenced by
 * each container's {@code secrets[]} as {@code <ARN>:<Secret>/<key>::}.
 *
 * <p>A values secret is immutable: its name is {@code ecsbridge/<instance>/<namespace>/<resource>/<random>}, tagged
 * with the owner tag, and its suffix is tagged on every revision that references it ({@link #VALUES_TAG}). When a
 * referenced Secret changes (its resourceVersion, remembered in status, is not the one applied) the values are
 * compared in memory with the current values secret's (GetSecretValue); only when they differ is a new values secret
 * made, at the moment the new revision is registered (its new ARN is the one content change, so one revision). No
 * value, nor anything derived from one (no hash), is written to status, tags, Events, logs or messages.
 *
 * <p>Old revisions stay startable: a values secret is deleted (with a {@value SecretsGateway#RECOVERY_WINDOW_DAYS}-day
 * recovery window) only when no ACTIVE revision is tagged with it any more (after a prune), or when the resource is
 * deleted; only one whose owner tag is exactly this resource's.
 */
public final class TaskDefinitionSecrets {

  static final String SECRET_INDEX = "secretRef";
  /** On a revision: the suffix of the values secret it references. */
  public static final String VALUES_TAG = "ecsbridge.io/secret-values";
  static final String DISABLED = "SecretReferencesDisabled";
  private static final String PENDING = "arn:aws:secretsmanager:pending:000000000000:secret:pending";
  /** A values secret or a Parameter Store parameter of this operator's naming, by ARN or by name. */
  private static final Pattern OPERATOR_SECRET =
      Pattern.compile("(?:^/?|:secret:|:parameter/)ecsbridge/([^/:]+)/([^/:]+)/([^/:]+)/");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Where Secrets are read: the informer's cache in the operator, a plain map in unit tests. */
  public interface Lookup {
    Optional<Secret> secret(Context<EcsTaskDefinition> context, String namespace, String name);

    /** The cache of the informer {@link #eventSources} makes. */
    @SuppressWarnings("unchecked")
    static Lookup informers() {
      return (context, namespace, name) -> ((InformerEventSource<Secret, EcsTaskDefinition>) context
          .eventSourceRetriever().getEventSourceFor(Secret.class)).get(new ResourceID(name, namespace));
    }
  }

  /** A Secret's decoded data and its resourceVersion. */
  public record Data(Map<String, String> values, String resourceVersion) {
    @Override
    public String toString() {
      return "Data[" + values.size() + " keys, resourceVersion=" + resourceVersion + "]";
    }
  }

  /** One secret variable of a container from a Secret key. */
  record Ref(String container, String variable, String secret, String key) {
    String member() {
      return secret + "/" + key;
    }
  }

  /**
   * The spec's Secret references resolved: each reference, the values by member name ({@code <Secret>/<key>}) and
   * the resourceVersion of each member's Secret, or (verdict) why not yet. Its string form has no value.
   */
  public record Resolved(List<Ref> refs, Map<String, String> values, Map<String, String> versions, Health verdict) {
    @Override
    public String toString() {
      return "Resolved[" + refs.size() + " references, versions=" + versions + ", verdict=" + verdict + "]";
    }
  }

  /** The values of one pass and the values secret that holds them ({@link StoredValues.Set}). */
  public final class Values extends StoredValues.Set {
    private final EcsTaskDefinition resource;
    private final String region;
    final Resolved resolved;

    Values(EcsTaskDefinition resource, String region, Resolved resolved, String arn) {
      super(arn, PENDING);
      this.resource = resource;
      this.region = region;
      this.resolved = resolved;
    }

    @Override
    String make() {
      String name = prefix(resource) + StoredValues.suffix();
      String arn = gateway.create(region, name, json(resolved.values()),
          Map.of(Ownership.TAG, Ownership.value(instanceId, resource)));
      events.normal(resource, "SecretValuesStored", "Stored the values of " + resolved.refs().size()
          + " Secret reference(s) in Secrets Manager secret " + name);
      return arn;
    }

    @Override
    public String toString() {
      return "Values[" + resolved + ", arn=" + known() + "]";
    }
  }

  private final SecretsGateway gateway;
  private final Lookup lookup;
  private final String instanceId;
  private final EventRecorder events;

  /** @param gateway null: the feature is off (the operator may not read Secrets) */
  TaskDefinitionSecrets(SecretsGateway gateway, Lookup lookup, String instanceId, EventRecorder events) {
    this.gateway = gateway;
    this.lookup = lookup;
    this.instanceId = instanceId;
    this.events = events;
  }

  boolean enabled() {
    return gateway != null;
  }

  /** The name prefix of this resource's values secrets: instance, namespace and name (never shared across them). */
  String prefix(EcsTaskDefinition resource) {
    return "ecsbridge/" + instanceId + "/" + resource.getMetadata().getNamespace() + "/"
        + resource.getMetadata().getName() + "/";
  }

  private static String suffixOf(String arnOrName) {
    String name = arnOrName.substring(arnOrName.lastIndexOf('/') + 1);
    int dash = name.lastIndexOf('-'); // Secrets Manager appends -XXXXXX to the ARN
    return arnOrName.startsWith("arn:") && dash > 0 ? name.substring(0, dash) : name;
  }

  /**
   * Where a pass works with Secrets: empty without Secret references; else the values and the secret that holds them
   * (read from Secrets Manager only when a referenced Secret changed since status), or the verdict that ends the pass
   * (a missing Secret or key: Reconciling ReferenceNotReady; the feature off: Stalled; a raw valueFrom naming another
   * namespace's values secret: Stalled OwnedByAnotherNamespace). Never a value in a message.
   */
  Optional<Values> place(EcsTaskDefinition resource, EcsTaskDefinitionStatus status, String region,
      Context<EcsTaskDefinition> context, boolean allowCrossNamespace) throws Refused {
    rawUse(resource, allowCrossNamespace);
    if (secretNames(resource.getSpec()).isEmpty()) {
      return Optional.empty();
    }
    if (!enabled()) {
      throw new Refused(Health.stalled(DISABLED, "Secret references (secretKeyRef, environmentFrom secretRef) are off "
          + "in this operator: it may not read Secrets. Enable them (Helm value operator.secretReferences: true, "
          + "ECSBRIDGE_SECRET_REFERENCES) or use valueFrom with an ARN"));
    }
    Resolved resolved = resolve(resource, context);
    if (resolved.verdict() != null) {
      throw new Refused(resolved.verdict());
    }
    if (resolved.refs().isEmpty()) {
      return Optional.empty(); // only optional references, all missing: nothing to store
    }
    String arn = status.valuesSecretArn;
    if (arn != null && !Objects.equals(status.secretVersions, resolved.versions())) {
      Optional<Map<String, String>> current = gateway.value(region, arn).map(TaskDefinitionSecrets::parse);
      if (!current.equals(Optional.of(resolved.values()))) {
        arn = null; // new values: a new values secret when the revision is registered
      }
    }
    return Optional.of(new Values(resource, region, resolved, arn));
  }

  /** Makes the values secret of a pass when it does not exist yet; whether it did so (the content changes). */
  static boolean ensure(Values values) {
    return values != null && values.ensure();
  }

  /** A verdict that ends the pass before AWS is read. */
  static final class Refused extends Exception {
    final transient Health verdict;

    Refused(Health verdict) {
      super(verdict.reason(), null, false, false);
      this.verdict = verdict;
    }
  }

  /** After a pass: the values secret in use and the Secret versions it holds, once it exists. */
  static void remember(EcsTaskDefinitionStatus status, Values values) {
    if (values == null) {
      status.valuesSecretArn = null;
      status.secretVersions = null;
    } else if (values.known() != null) {
      status.valuesSecretArn = values.known();
      status.secretVersions = new TreeMap<>(values.resolved.versions());
    }
  }

  /** Whether the referenced Secrets are not those status remembers applying (changed, gone, or new). Cache only. */
  boolean changed(EcsTaskDefinition resource, Context<EcsTaskDefinition> context) {
    if (!enabled() || secretNames(resource.getSpec()).isEmpty()) {
      return false;
    }
    Resolved now = resolve(resource, context);
    Map<String, String> applied = resource.getStatus().secretVersions;
    return now.verdict() != null || !now.versions().equals(applied == null ? Map.of() : applied);
  }

  Resolved resolve(EcsTaskDefinition resource, Context<EcsTaskDefinition> context) {
    String namespace = resource.getMetadata().getNamespace();
    return resolve(resource.getSpec(), name -> lookup.secret(context, namespace, name).map(TaskDefinitionSecrets::data));
  }

  static Data data(Secret secret) {
    Map<String, String> values = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k,
          v == null ? "" : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) { // only on objects not yet through the API server
      values.putAll(secret.getStringData());
    }
    return new Data(values, secret.getMetadata().getResourceVersion());
  }

  /**
   * Resolves the spec's Secret references with {@code secrets} (a Secret's data by name, empty when it does not
   * exist): per container, environmentFrom secretRef keys (a later source wins on a name) and then secretKeyRef
   * entries (which win over them). A missing Secret or key that is not optional is named (never a value).
   */
  public static Resolved resolve(EcsTaskDefinitionSpec spec, Function<String, Optional<Data>> secrets) {
    List<Ref> refs = new ArrayList<>();
    Map<String, String> values = new TreeMap<>();
    Map<String, String> versions = new TreeMap<>();
    List<String> missing = new ArrayList<>();
    for (ContainerDefinition c : containers(spec)) {
      Map<String, Ref> fromSources = new LinkedHashMap<>();
      for (EnvironmentFrom from : c.environmentFrom == null ? List.<EnvironmentFrom>of() : c.environmentFrom) {
        if (from.secretRef == null) {
          continue;
        }
        Optional<Data> data = secrets.apply(from.secretRef.name);
        if (data.isEmpty()) {
          if (!Boolean.TRUE.equals(from.secretRef.optional)) {
            missing.add("Secret " + from.secretRef.name + " does not exist (environmentFrom of container " + c.name
                + ")");
          }
          continue;
        }
        String prefix = from.prefix == null ? "" : from.prefix;
        for (String key : data.get().values().keySet()) {
          fromSources.put(prefix + key, new Ref(c.name, prefix + key, from.secretRef.name, key));
        }
      }
      List<SecretVariable> explicit = c.secrets == null ? List.of() : c.secrets;
      explicit.forEach(s -> fromSources.remove(s.name));
      List<Ref> mine = new ArrayList<>(fromSources.values());
      for (SecretVariable s : explicit) {
        if (s.secretKeyRef == null) {
          continue;
        }
        var ref = s.secretKeyRef;
        Optional<Data> data = secrets.apply(ref.name);
        if (data.isPresent() && data.get().values().containsKey(ref.key)) {
          mine.add(new Ref(c.name, s.name, ref.name, ref.key));
        } else if (!Boolean.TRUE.equals(ref.optional)) {
          missing.add("Secret " + ref.name + (data.isEmpty() ? " does not exist" : " has no key " + ref.key)
              + " (secrets " + s.name + " of container " + c.name + ")");
        }
      }
      for (Ref r : mine) {
        Data data = secrets.apply(r.secret()).orElseThrow();
        values.put(r.member(), data.values().get(r.key()));
        versions.put(r.member(), String.valueOf(data.resourceVersion()));
      }
      refs.addAll(mine);
    }
    if (!missing.isEmpty()) {
      return new Resolved(List.of(), Map.of(), Map.of(),
          Health.progressing(TaskDefinitionReferences.REFERENCE_NOT_READY, String.join("; ", missing)));
    }
    return new Resolved(List.copyOf(refs), values, versions, null);
  }

  /**
   * The request JSON with each container's secrets[] as ECS takes it: the raw valueFrom entries as written, and each
   * Secret reference as {@code <values secret ARN>:<Secret>/<key>::}.
   */
  static void apply(ObjectNode json, Values values) {
    if (values == null) {
      return;
    }
    String arn = values.arnOrPending();
    StoredValues.addSecrets(json, values.resolved.refs().stream()
        .map(r -> new StoredValues.Entry(r.container(), r.variable(), arn + ":" + r.member() + "::")).toList());
  }

  /** The tag that names the values secret on a revision (none without Secret references). */
  static void tag(Map<String, String> tags, Values values) {
    if (values != null) {
      tags.put(VALUES_TAG, suffixOf(values.arnOrPending()));
    }
  }

  /**
   * A raw valueFrom naming a values secret or a parameter of this operator's instance owned in another namespace is
   * refused
   * ({@link Ownership#rawUse}): it is known from the name alone, no AWS call.
   */
  private void rawUse(EcsTaskDefinition resource, boolean allowCrossNamespace) throws Refused {
    for (ContainerDefinition c : containers(resource.getSpec())) {
      for (SecretVariable s : c.secrets == null ? List.<SecretVariable>of() : c.secrets) {
        Matcher m = s.valueFrom == null ? null : OPERATOR_SECRET.matcher(s.valueFrom);
        if (m != null && m.find()) {
          String tag = m.group(1) + "/" + m.group(2) + "/" + m.group(3);
          Optional<Ownership.Decision> refused = Ownership.rawUse("The secret or parameter of secrets " + s.name
              + " of container " + c.name, "EcsTaskDefinition", tag, resource.getMetadata().getNamespace(),
              allowCrossNamespace);
          if (refused.isPresent()) {
            throw new Refused(refused.get().health());
          }
        }
      }
    }
  }

  /**
   * Deletes this resource's values secrets that no ACTIVE revision references any more ({@code kept}: the
   * {@link #VALUES_TAG} values of the ACTIVE revisions) and that are not {@code current}. Only those whose owner tag is
   * exactly this resource's; each in an Event.
   */
  void sweep(EcsTaskDefinition resource, String region, Set<String> kept, String current) {
    if (!enabled()) {
      return;
    }
    String owner = Ownership.value(instanceId, resource);
    for (SecretsGateway.Summary s : gateway.list(region, prefix(resource))) {
      String suffix = suffixOf(s.name());
      if (owner.equals(s.tags().get(Ownership.TAG)) && !kept.contains(suffix)
          && (current == null || !suffix.equals(suffixOf(current)))) {
        delete(resource, region, s, "no ACTIVE revision references it");
      }
    }
  }

  /** Deletes every values secret of this resource (its owner tag exactly this resource's). */
  void deleteAll(EcsTaskDefinition resource, String region) {
    sweep(resource, region, Set.of(), null);
  }

  private void delete(EcsTaskDefinition resource, String region, SecretsGateway.Summary s, String why) {
    gateway.delete(region, s.arn());
    events.normal(resource, "SecretValuesDeleted", "Scheduled Secrets Manager secret " + s.name() + " for deletion ("
        + why + "; recoverable for " + SecretsGateway.RECOVERY_WINDOW_DAYS + " days)");
  }

  static String json(Map<String, String> values) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(values));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("values could not be written as JSON"); // never the values
    }
  }

  private static Map<String, String> parse(String json) {
    try {
      return new TreeMap<>(MAPPER.readValue(json, new TypeReference<Map<String, String>>() {}));
    } catch (JsonProcessingException e) {
      return Map.of(); // not ours as written: differs from any values, so a new secret is made
    }
  }

  private static List<ContainerDefinition> containers(EcsTaskDefinitionSpec spec) {
    return spec == null || spec.containerDefinitions == null ? List.of() : spec.containerDefinitions;
  }

  /** The names of the Secrets the spec references (in the resource's namespace). */
  static TreeSet<String> secretNames(EcsTaskDefinitionSpec spec) {
    TreeSet<String> names = new TreeSet<>();
    for (ContainerDefinition c : containers(spec)) {
      if (c.environmentFrom != null) {
        c.environmentFrom.stream().filter(f -> f.secretRef != null).forEach(f -> names.add(f.secretRef.name));
      }
      if (c.secrets != null) {
        c.secrets.stream().filter(s -> s.secretKeyRef != null).forEach(s -> names.add(s.secretKeyRef.name));
      }
    }
    return names;
  }

  /**
   * Watches Secrets (in the controller's namespaces): one that appears, changes its data or goes reconciles the task
   * definitions of its namespace naming it at once, found through an index on the names they reference.
   */
  static List<EventSource<?, EcsTaskDefinition>> eventSources(EventSourceContext<EcsTaskDefinition> context) {
    context.getPrimaryCache().addIndexers(Map.of(SECRET_INDEX, td -> secretNames(td.getSpec()).stream()
        .map(name -> td.getMetadata().getNamespace() + "/" + name).toList()));
    var secrets = new InformerEventSource<>(
        StartupAdds.dropListed(InformerEventSourceConfiguration.from(Secret.class, EcsTaskDefinition.class))
            .withName("ecstaskdefinition-secrets")
            .withNamespacesInheritedFromController()
            .withItemStore(LeanItemStore.create(context))
            .withSecondaryToPrimaryMapper(s -> context.getPrimaryCache()
                .byIndex(SECRET_INDEX, s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .withOnUpdateFilter((newer, older) -> !Objects.equals(newer.getData(), older.getData()))
            .build(), context);
    return List.of(secrets);
  }
}
