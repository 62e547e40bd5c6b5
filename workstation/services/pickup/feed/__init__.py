"""The Bundesdruckerei shipment-notice feed (Versandavis): parse, apply, inbox handling, simulator."""
