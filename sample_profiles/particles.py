"""A small 2-D particle simulation in pure Python: soft gravity, walls, energy.

The work is in methods (``Simulator.step``, ``Simulator.forces``, ``Particle.move``).
line_profiler 5 records them by qualified name (``Simulator.evolve``) where cProfile
records the bare name (``evolve``); both record the same file and first line.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

Vector = tuple[float, float]


@dataclass
class Particle:
    x: float
    y: float
    vx: float
    vy: float
    mass: float

    def move(self, dt: float) -> None:
        """Advance the position by one time step at the current velocity."""
        self.x += self.vx * dt
        self.y += self.vy * dt

    def accelerate(self, fx: float, fy: float, dt: float) -> None:
        """Change the velocity under a force for one time step."""
        self.vx += fx / self.mass * dt
        self.vy += fy / self.mass * dt

    def kinetic_energy(self) -> float:
        return 0.5 * self.mass * (self.vx * self.vx + self.vy * self.vy)


class Simulator:
    """Particles in a unit box that attract each other and bounce off the walls."""

    def __init__(self, particles: list[Particle], dt: float = 1e-3, softening: float = 0.05):
        self.particles = particles
        self.dt = dt
        self.softening = softening
        self.time = 0.0

    def forces(self) -> list[Vector]:
        """The pairwise attraction on each particle (O(n²), each pair once)."""
        result = [[0.0, 0.0] for _ in self.particles]
        eps2 = self.softening * self.softening
        count = len(self.particles)
        for i in range(count):
            a = self.particles[i]
            for j in range(i + 1, count):
                b = self.particles[j]
                dx = b.x - a.x
                dy = b.y - a.y
                dist2 = dx * dx + dy * dy + eps2
                strength = a.mass * b.mass / (dist2 * math.sqrt(dist2))
                result[i][0] += strength * dx
                result[i][1] += strength * dy
                result[j][0] -= strength * dx
                result[j][1] -= strength * dy
        return [(fx, fy) for fx, fy in result]

    def bounce(self, particle: Particle) -> None:
        """Reflect a particle that has left the unit box."""
        if particle.x < 0.0 or particle.x > 1.0:
            particle.vx = -particle.vx
            particle.x = min(max(particle.x, 0.0), 1.0)
        if particle.y < 0.0 or particle.y > 1.0:
            particle.vy = -particle.vy
            particle.y = min(max(particle.y, 0.0), 1.0)

    def step(self) -> None:
        """One explicit Euler step for every particle."""
        for particle, (fx, fy) in zip(self.particles, self.forces(), strict=True):
            particle.accelerate(fx, fy, self.dt)
            particle.move(self.dt)
            self.bounce(particle)
        self.time += self.dt

    def evolve(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    def kinetic_energy(self) -> float:
        return sum(p.kinetic_energy() for p in self.particles)


def make_particles(count: int, seed: int = 7) -> list[Particle]:
    """count particles at random positions, at rest; the same ones for the same seed."""
    rng = random.Random(seed)
    return [
        Particle(rng.random(), rng.random(), 0.0, 0.0, rng.uniform(0.5, 2.0)) for _ in range(count)
    ]


def main(count: int = 60, steps: int = 550) -> None:
    simulator = Simulator(make_particles(count))
    simulator.evolve(steps)
    energy = simulator.kinetic_energy()
    print(f"{count} particles, {steps} steps, t={simulator.time:.3f}: kinetic energy {energy:.4g}")


if __name__ == "__main__":
    main()
