package io.ecsbridge.aws;

import java.util.List;
import java.util.Map;

/** What the operator does with SSM Parameter Store: small, free of Kubernetes types, faked in unit tests. */
public interface ParametersGateway {

  /** Creates a String parameter with this value and these tags (PutParameter, never overwriting). */
  void put(String region, String name, String value, Map<String, String> tags);

  /** The parameters under {@code path} (GetParametersByPath, recursive, all pages): name and ARN. */
  List<Parameter> list(String region, String path);

  /** Deletes these parameters (DeleteParameters, ten per call); absent ones are no error. */
  void delete(String region, List<String> names);

  /** One parameter as GetParametersByPath reports it. */
  record Parameter(String name, String arn) {}
}
