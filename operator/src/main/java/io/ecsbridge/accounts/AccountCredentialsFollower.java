package io.ecsbridge.accounts;

import io.ecsbridge.api.v1alpha1.AwsAccount;
import io.ecsbridge.api.v1alpha1.AwsAccountSpec;
import io.ecsbridge.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * AwsAccount on a shard other than shard 0 (ECSBRIDGE_SHARD > 0): shard 0's {@link AwsAccountReconciler} owns the
 * AwsAccounts (status, Events, finalizer); this one only builds the same credentials here, for the resources of this
 * shard that live in the account, and writes nothing. It builds them once shard 0 has found the account Ready, and
 * asks STS who they are (GetCallerIdentity with them) as shard 0 did: {@link AccountResolver} hands them out only when
 * STS said, in this process, that they act in the account the AwsAccount's status names. Not a Cleaner (no finalizer
 * of its own: a shard scaled away never blocks a deletion): an AwsAccount that goes leaves its entry here until it is
 * replaced, never handed out, since the resolver reads the AwsAccounts from its informers first.
 */
public final class AccountCredentialsFollower implements Reconciler<AwsAccount> {
  private final AccountCredentials credentials;

  public AccountCredentialsFollower(AccountCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public UpdateControl<AwsAccount> reconcile(AwsAccount account, Context<AwsAccount> context) {
    var status = account.getStatus();
    if (status == null || status.getAccountId() == null || !Conditions.isTrue(status, Conditions.READY)) {
      return UpdateControl.noUpdate(); // shard 0 has not assumed it yet: its status write wakes this one
    }
    String name = account.getMetadata().getName();
    AwsAccountSpec spec = account.getSpec();
    AwsCredentialsProvider via = null;
    if (spec.sourceAccountRef != null) {
      Optional<AwsCredentialsProvider> source = credentials.lookup(spec.sourceAccountRef.name);
      if (source.isEmpty()) {
        return UpdateControl.<AwsAccount>noUpdate().rescheduleAfter(AwsAccountReconciler.WAIT_FOR_SOURCE);
      }
      via = source.get();
    }
    credentials.provide(name, spec.roleArn, spec.externalId, via);
    if (credentials.lookup(name, status.getAccountId()).isEmpty()) {
      credentials.whoAmI(name); // throttling or the network: JOSDK retries with its backoff
    }
    return UpdateControl.noUpdate();
  }
}
