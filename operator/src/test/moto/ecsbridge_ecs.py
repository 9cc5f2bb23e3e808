"""ecs-bridge's extension of moto's ECS backend (placeholder: installs nothing yet)."""


def install():
    """Patches moto's ECS backend in this process."""
