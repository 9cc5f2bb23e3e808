"""ecsbridge_capacity.py: ECS capacity providers created, described, updated and deleted like ECS's."""
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from moto_process import moto_server


@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


def client(endpoint, service):
    return boto3.client(service, region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def aws(endpoint):
    with urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10):
        pass
    return client(endpoint, "ecs"), client(endpoint, "autoscaling"), client(endpoint, "ec2")


def group(aws, name="workers"):
    _, autoscaling, ec2 = aws
    image = ec2.describe_images()["Images"][0]["ImageId"]
    autoscaling.create_launch_configuration(LaunchConfigurationName=name, ImageId=image, InstanceType="t3.micro")
    autoscaling.create_auto_scaling_group(AutoScalingGroupName=name, LaunchConfigurationName=name, MinSize=0,
                                          MaxSize=2, AvailabilityZones=["us-east-1a"])
    return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0][
        "AutoScalingGroupARN"]


def provider(ecs, name="cp", cluster=None, **include):
    args = {"cluster": cluster} if cluster else {}
    return ecs.describe_capacity_providers(capacityProviders=[name], **args, **include)["capacityProviders"]


def test_an_auto_scaling_group_provider_is_created_with_ecs_defaults_and_its_group_must_exist(aws):
    ecs = aws[0]
    with pytest.raises(ClientError) as missing:
        ecs.create_capacity_provider(name="cp", autoScalingGroupProvider={"autoScalingGroupArn": "nope"})
    assert missing.value.response["Error"]["Code"] == "ClientException"
    arn = group(aws)
    created = ecs.create_capacity_provider(name="cp", autoScalingGroupProvider={"autoScalingGroupArn": "workers"},
                                           tags=[{"key": "team", "value": "a"}])["capacityProvider"]
    assert created["type"] == "EC2_AUTOSCALING"
    asg = provider(ecs)[0]["autoScalingGroupProvider"]
    assert asg["autoScalingGroupArn"] == arn  # a name is reported as the group's ARN
    assert asg["managedDraining"] == "ENABLED" and asg["managedTerminationProtection"] == "DISABLED"
    assert "tags" not in provider(ecs)[0]
    assert provider(ecs, include=["TAGS"])[0]["tags"] == [{"key": "team", "value": "a"}]
    with pytest.raises(ClientError) as again:
        ecs.create_capacity_provider(name="cp", autoScalingGroupProvider={"autoScalingGroupArn": arn})
    assert "already exists" in again.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as used:
        ecs.create_capacity_provider(name="other", autoScalingGroupProvider={"autoScalingGroupArn": arn})
    assert "already being used" in used.value.response["Error"]["Message"]


def test_update_changes_managed_scaling_and_draining(aws):
    ecs = aws[0]
    arn = ecs.create_capacity_provider(name="cp", autoScalingGroupProvider={"autoScalingGroupArn": group(aws)})[
        "capacityProvider"]["capacityProviderArn"]
    ecs.untag_resource(resourceArn=arn, tagKeys=["none"])  # created without tags: moto crashed
    ecs.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "b"}])
    assert provider(ecs, include=["TAGS"])[0]["tags"] == [{"key": "team", "value": "b"}]
    answer = ecs.update_capacity_provider(name="cp", autoScalingGroupProvider={
        "managedScaling": {"status": "ENABLED", "targetCapacity": 80}, "managedDraining": "DISABLED"})[
        "capacityProvider"]
    assert answer["updateStatus"] == "UPDATE_COMPLETE"
    scaling = provider(ecs)[0]["autoScalingGroupProvider"]["managedScaling"]
    assert scaling["status"] == "ENABLED" and scaling["targetCapacity"] == 80
    assert provider(ecs)[0]["autoScalingGroupProvider"]["managedDraining"] == "DISABLED"
    with pytest.raises(ClientError):
        ecs.update_capacity_provider(name="missing", autoScalingGroupProvider={"managedDraining": "DISABLED"})


def test_deletion_fails_while_a_cluster_lists_the_provider_and_succeeds_after(aws):
    ecs = aws[0]
    ecs.create_capacity_provider(name="cp", autoScalingGroupProvider={"autoScalingGroupArn": group(aws)})
    ecs.create_cluster(clusterName="shop")
    ecs.put_cluster_capacity_providers(cluster="shop", capacityProviders=["cp"], defaultCapacityProviderStrategy=[])
    refused = ecs.delete_capacity_provider(capacityProvider="cp")["capacityProvider"]
    assert refused["status"] == "ACTIVE" and refused["updateStatus"] == "DELETE_FAILED"
    assert refused["updateStatusReason"] == ("The capacity provider cannot be deleted because it is associated with "
                                             "cluster: shop. Remove the capacity provider from the cluster and try "
                                             "again.")
    assert provider(ecs)[0]["status"] == "ACTIVE"
    ecs.put_cluster_capacity_providers(cluster="shop", capacityProviders=[], defaultCapacityProviderStrategy=[])
    deleted = ecs.delete_capacity_provider(capacityProvider="cp")["capacityProvider"]
    assert deleted["updateStatus"] == "DELETE_IN_PROGRESS"
    gone = provider(ecs)[0]
    assert gone["status"] == "INACTIVE" and gone["updateStatus"] == "DELETE_COMPLETE"
    with pytest.raises(ClientError) as missing:
        ecs.delete_capacity_provider(capacityProvider="cp")
    assert "does not exist" in missing.value.response["Error"]["Message"]
    ecs.create_capacity_provider(name="cp", autoScalingGroupProvider={"autoScalingGroupArn": group(aws, "w2")})
    assert provider(ecs)[0]["status"] == "ACTIVE"


def test_a_provider_in_use_by_a_service_cannot_be_removed_from_its_cluster(aws):
    ecs = aws[0]
    ecs.create_capacity_provider(name="cp", autoScalingGroupProvider={"autoScalingGroupArn": group(aws)})
    ecs.create_cluster(clusterName="shop")
    ecs.put_cluster_capacity_providers(cluster="shop", capacityProviders=["cp"], defaultCapacityProviderStrategy=[])
    ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "nginx",
                                                                      "memory": 128}])
    ecs.create_service(cluster="shop", serviceName="web", taskDefinition="web", desiredCount=1,
                       capacityProviderStrategy=[{"capacityProvider": "cp", "weight": 1}])
    with pytest.raises(ClientError) as in_use:
        ecs.put_cluster_capacity_providers(cluster="shop", capacityProviders=[], defaultCapacityProviderStrategy=[])
    assert in_use.value.response["Error"]["Code"] == "ResourceInUseException"


def test_a_managed_instances_provider_belongs_to_its_cluster(aws):
    ecs = aws[0]
    spec = {"infrastructureRoleArn": "arn:aws:iam::123456789012:role/infra",
            "instanceLaunchTemplate": {"ec2InstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/ecs",
                                       "networkConfiguration": {"subnets": ["subnet-1"]},
                                       "storageConfiguration": {"storageSizeGiB": 50}}}
    with pytest.raises(ClientError):
        ecs.create_capacity_provider(name="mi", managedInstancesProvider=spec)
    ecs.create_cluster(clusterName="shop")
    created = ecs.create_capacity_provider(name="mi", cluster="shop", managedInstancesProvider=spec)
    assert created["capacityProvider"]["type"] == "MANAGED_INSTANCES"
    assert created["capacityProvider"]["cluster"] == "shop"
    ecs.update_capacity_provider(name="mi", cluster="shop", managedInstancesProvider={
        "infrastructureRoleArn": "arn:aws:iam::123456789012:role/infra",
        "instanceLaunchTemplate": {"ec2InstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/ecs",
                                   "networkConfiguration": {"subnets": ["subnet-1"]}, "monitoring": "DETAILED"}})
    described = provider(ecs, "mi", cluster="shop")[0]["managedInstancesProvider"]["instanceLaunchTemplate"]
    assert described["monitoring"] == "DETAILED" and described["storageConfiguration"] == {"storageSizeGiB": 50}
    assert provider(ecs, "mi", cluster="other") == []
