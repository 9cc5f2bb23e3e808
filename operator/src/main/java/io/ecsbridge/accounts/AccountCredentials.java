package io.ecsbridge.accounts;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The credentials of each AwsAccount, by its name: an {@link StsAssumeRoleCredentialsProvider} (it assumes the role
 * on first use and again before the credentials expire) on an STS client of its own. Replaced when the account's
 * role, external id or source changes, closed when the AwsAccount goes. {@link AccountResolver} hands them to the
 * resources the account admits ({@link #lookup}), and AWS clients are built per account from them.
 */
public final class AccountCredentials implements AutoCloseable {
  /** STS's limit on a role session name. */
  static final int SESSION_NAME_MAX = 64;

  /** What the provider was built from: a change of any of it builds a new one. */
  record Source(String roleArn, String externalId, AwsCredentialsProvider via) {}

  /** {@code verified}: the account STS said these credentials act in (GetCallerIdentity with them), once asked. */
  private record Entry(Source source, StsClient sts, StsAssumeRoleCredentialsProvider provider, StsClient asAccount,
      AtomicReference<String> verified) {}

  private final Function<AwsCredentialsProvider, StsClient> stsClients;
  private final String sessionName;
  private final Map<String, Entry> byName = new ConcurrentHashMap<>();
  /** The AwsAccounts whose credentials STS has been asked about (GetCallerIdentity) in this process, answered or not. */
  private final Set<String> asked = ConcurrentHashMap.newKeySet();
  private final java.util.function.Consumer<String> onReplaced;

  /**
   * @param stsClients a new STS client calling with the given credentials (null: the operator's own)
   * @param instanceId the operator instance, which names the role sessions (CloudTrail shows it)
   */
  public AccountCredentials(Function<AwsCredentialsProvider, StsClient> stsClients, String instanceId) {
    this(stsClients, instanceId, account -> {});
  }

  /**
   * @param onReplaced told the name of an AwsAccount whose credentials were replaced or removed (the clients built
   *     on the old ones are closed)
   */
  public AccountCredentials(Function<AwsCredentialsProvider, StsClient> stsClients, String instanceId,
      java.util.function.Consumer<String> onReplaced) {
    this.stsClients = stsClients;
    this.sessionName = sessionName(instanceId);
    this.onReplaced = onReplaced;
  }

  /** {@code ecsbridge-<instanceId>}, in the characters STS allows ([\w+=,.@-]) and at most 64 of them. */
  static String sessionName(String instanceId) {
    String name = ("ecsbridge-" + (instanceId == null ? "" : instanceId)).replaceAll("[^\\w+=,.@-]", "-");
    return name.length() > SESSION_NAME_MAX ? name.substring(0, SESSION_NAME_MAX) : name;
  }

  /**
   * The account's credentials for this role (assumed with {@code via}, the source account's credentials, or the
   * operator's own when null), building them anew when the role, external id or source changed.
   */
  public AwsCredentialsProvider provide(String account, String roleArn, String externalId,
      AwsCredentialsProvider via) {
    Source source = new Source(roleArn, externalId, via);
    Entry entry = byName.compute(account, (name, old) -> {
      if (old != null && old.source().equals(source)) {
        return old;
      }
      if (old != null) {
        close(old);
        onReplaced.accept(name);
      }
      StsClient sts = stsClients.apply(via);
      StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
          .stsClient(sts)
          .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(sessionName).externalId(externalId))
          .build();
      return new Entry(source, sts, provider, stsClients.apply(provider), new AtomicReference<>());
    });
    return entry.provider();
  }

  /**
   * Who the account's credentials are (STS GetCallerIdentity with them: assumes the role first when the provider
   * holds no valid credentials); the account must have been {@link #provide provided}.
   */
  public GetCallerIdentityResponse whoAmI(String account) {
    Entry entry = byName.get(account);
    if (entry == null) {
      throw new IllegalStateException("no credentials for AwsAccount " + account);
    }
    try {
      GetCallerIdentityResponse identity = entry.asAccount().getCallerIdentity();
      entry.verified().set(identity.account());
      return identity;
    } finally {
      asked.add(account);
    }
  }

  /**
   * Whether STS has been asked who this AwsAccount's credentials are in this process (answered or failed): not yet,
   * just after a start, while the AwsAccount's first pass here builds and confirms them.
   */
  public boolean asked(String account) {
    return asked.contains(account);
  }

  /** The credentials of the AwsAccount of this name, if it has been reconciled. */
  public Optional<AwsCredentialsProvider> lookup(String account) {
    return Optional.ofNullable(byName.get(account)).map(Entry::provider);
  }

  /**
   * The credentials of the AwsAccount of this name only if STS confirmed that they act in {@code accountId}: new
   * credentials (a changed role) are not handed out under the account id the old ones had, before STS has said
   * whose they are.
   */
  public Optional<AwsCredentialsProvider> lookup(String account, String accountId) {
    return Optional.ofNullable(byName.get(account))
        .filter(e -> accountId != null && accountId.equals(e.verified().get()))
        .map(Entry::provider);
  }

  /** The AwsAccount is gone: its credentials are closed. */
  public void remove(String account) {
    Entry entry = byName.remove(account);
    if (entry != null) {
      close(entry);
      onReplaced.accept(account);
    }
  }

  String sessionName() {
    return sessionName;
  }

  @Override
  public void close() {
    byName.keySet().forEach(this::remove);
  }

  private static void close(Entry entry) {
    entry.asAccount().close();
    entry.provider().close();
    entry.sts().close();
  }
}
