"""The rollout planner: plain Python (no Django), CP-SAT counts model, layout, seats and repair,
with a first-come-first-served baseline and an independent verifier. See the README's planner
section for the method and the JSON formats."""

from .baseline import baseline
from .generate import generate
from .instance import Instance, InstanceError, dump_instance, load_instance
from .model import lower_bounds
from .plan import Plan, plan_from_dict
from .problems import find_problems
from .solve import solve
from .verify import verify
from .whatif import what_ifs

__all__ = [
    "Instance",
    "InstanceError",
    "Plan",
    "baseline",
    "dump_instance",
    "find_problems",
    "generate",
    "load_instance",
    "lower_bounds",
    "plan_from_dict",
    "solve",
    "verify",
    "what_ifs",
]
