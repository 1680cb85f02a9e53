"""exp, sin and cos from their Taylor series, checked against the math module.

``factorial`` is recursive on purpose: in a cProfile of this module its ncalls
read ``total/primitive`` (for example ``9600/480``), the way pstats marks recursion.
"""

from __future__ import annotations

import math
from collections.abc import Callable


def factorial(n: int) -> int:
    """n!, recursively."""
    if n < 2:
        return 1
    return n * factorial(n - 1)


def power(x: float, n: int) -> float:
    """x**n by repeated multiplication."""
    result = 1.0
    for _ in range(n):
        result *= x
    return result


def exp_series(x: float, terms: int = 18) -> float:
    """e**x as the sum of x**n / n!."""
    return sum(power(x, n) / factorial(n) for n in range(terms))


def sin_series(x: float, terms: int = 10) -> float:
    """sin(x) as the alternating sum of x**(2n+1) / (2n+1)!."""
    total = 0.0
    for n in range(terms):
        k = 2 * n + 1
        sign = -1.0 if n % 2 else 1.0
        total += sign * power(x, k) / factorial(k)
    return total


def cos_series(x: float, terms: int = 10) -> float:
    """cos(x) as the alternating sum of x**(2n) / (2n)!."""
    total = 0.0
    for n in range(terms):
        k = 2 * n
        sign = -1.0 if n % 2 else 1.0
        total += sign * power(x, k) / factorial(k)
    return total


def max_error(
    series: Callable[[float], float], reference: Callable[[float], float], xs: list[float]
) -> float:
    """The largest absolute difference between a series and the exact function."""
    return max(abs(series(x) - reference(x)) for x in xs)


def sample_points(count: int, low: float = -3.0, high: float = 3.0) -> list[float]:
    """count evenly spaced points from low to high."""
    step = (high - low) / (count - 1)
    return [low + i * step for i in range(count)]


def main(points: int = 6500) -> None:
    xs = sample_points(points)
    checks: list[tuple[str, Callable[[float], float], Callable[[float], float]]] = [
        ("exp", exp_series, math.exp),
        ("sin", sin_series, math.sin),
        ("cos", cos_series, math.cos),
    ]
    for name, series, reference in checks:
        error = max_error(series, reference, xs)
        print(f"{name}: max error {error:.2e} over {points} points in [-3, 3]")


if __name__ == "__main__":
    main()
