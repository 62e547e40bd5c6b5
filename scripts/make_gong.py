"""Write assets/gong.wav: the call display's two-tone chime (no third-party sound file, no licence question).

Two decaying sine tones (G5 then E5, with a soft octave overtone), 1.6 s, 22.05 kHz mono 16 bit.
Run `python scripts/make_gong.py` to regenerate it; the result is committed.
"""

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
TARGET = Path(__file__).resolve().parent.parent / "assets" / "gong.wav"


def _tone(freq: float, start: float, length: float, t: float) -> float:
    if t < start or t > start + length:
        return 0.0
    x = t - start
    attack = min(1.0, x / 0.01)
    decay = math.exp(-3.2 * x)
    return attack * decay * (math.sin(2 * math.pi * freq * x) + 0.25 * math.sin(4 * math.pi * freq * x))


def samples(seconds: float = 1.6) -> list[int]:
    out = []
    for i in range(int(seconds * RATE)):
        t = i / RATE
        value = 0.45 * (_tone(784.0, 0.0, 1.6, t) + _tone(659.3, 0.45, 1.15, t))
        out.append(int(max(-1.0, min(1.0, value)) * 32767 * 0.8))
    return out


def main() -> None:
    data = samples()
    with wave.open(str(TARGET), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(data)}h", *data))
    print(TARGET)


if __name__ == "__main__":
    main()
