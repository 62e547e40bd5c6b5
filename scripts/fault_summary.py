"""Merge the fault suite's JSON lines into one object: figures summed per scenario; maxima (`*_max`) and
settings of a scenario (`*_rate`) are kept as the largest value, not summed over repetitions."""

import json
import sys
from collections import defaultdict


def main(path: str) -> None:
    merged: dict[str, dict[str, float]] = defaultdict(dict)
    schedulers_max = 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            scenario = merged[row.pop("scenario")]
            for key, value in row.items():
                if key.endswith(("_max", "_rate")):
                    scenario[key] = max(scenario.get(key, 0), value)
                else:
                    scenario[key] = scenario.get(key, 0) + value
            schedulers_max = max(schedulers_max, row.get("schedulers_running_max", 0))
    print(json.dumps({"scenarios": merged, "schedulers_running_max": schedulers_max}, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
