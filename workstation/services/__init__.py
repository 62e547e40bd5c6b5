"""Domain services: the office's logic, one package per part of its work; owns transactions, never imports reflex.

Which package may import which (one way, no circle; `tests/test_service_packages.py` enforces it):

    common      nothing else: change signals, German formats, insert-or-skip, document serials
    privacy     nothing else: the retention table and the job step that erases what is due
    staff       common
    messaging   common, staff
    backoffice  common, staff
    queue       common, staff
    pickup      backoffice, messaging, common, staff
    booking     common, staff (appointments booked online or by staff; writes outbox rows itself)
    metrics     common, booking (the daily controlling figures; the lead time asks the booking engine)
    briefing    metrics, common, staff
    lobby       queue, common, staff (devices, check-in terminal, call display, feedback)
    city        metrics, common, staff (the city's offices side by side)
    demo        any of the above (it builds the demo office and the demo city)
"""
