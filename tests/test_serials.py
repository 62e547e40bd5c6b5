"""Check digits as the Versandavis spec defines them."""

from workstation.services.common import serials


def test_spec_example_check_digit():
    assert serials.check_digit("T22000129") == 3


def test_typed_serial_with_check_digit_is_split_and_validated():
    serial = "L6F3R7T2K"
    digit = serials.check_digit(serial)
    assert serials.split_with_check_digit(f" l6f3r7t2k{digit} ") == (serial, digit)
    assert serials.is_valid(serial, digit)
    assert not serials.is_valid(serial, (digit + 1) % 10)


def test_letters_outside_the_alphabet_are_rejected():
    assert not serials.is_well_formed("L6F3R7T2A")
    assert not serials.is_well_formed("L6F3R7T2")
