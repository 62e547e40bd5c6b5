// The floor's lists on counter and reception screens, fed by the live floor channel (workstation/live_floor.py).
// The server builds one snapshot and one small delta per change for the whole office and sends every screen
// the same bytes; this component applies them (the twin of floor_feed.apply in Python) and renders the same
// accessible tables as before (a region per list named by its German title, a heading, a table). Row actions
// and the counter's focus go back to the page's Reflex event handlers, which check role and office again.
//
// FloorNextPreview draws an idle counter's "Als Nächstes dran" from the same feed (one socket per screen: the
// lists' socket fills a module-level store both components read). Data minimisation: the preview shows only
// the queue row every screen of the office already has (name, kind, concerns, slot, waiting time), with no
// server round trip and no read of the citizen's full record; the full, audited panel is read only for a
// visit at this counter ("active").
import { useEffect, useRef, useSyncExternalStore } from "react";
import { Badge, Button, Card, Flex, Grid, Heading, Table, Text } from "@radix-ui/themes";
import env from "$/env.json";
import { getBackendURL } from "$/utils/state";

const KIND_COLORS = { emergency: "red", appointment: "teal", walk_in: "amber", dealer: "violet" };
const NO_FOCUS = ["", 0, 0];

// The feeds of this screen (by counter kind), shared by FloorLists (which owns the socket) and FloorNextPreview.
const floorStore = {
  feeds: {},
  listeners: new Set(),
  set(feeds) {
    this.feeds = feeds;
    for (const listener of this.listeners) listener();
  },
  subscribe(listener) {
    floorStore.listeners.add(listener);
    return () => floorStore.listeners.delete(listener);
  },
};

function useFloorStore() {
  const feeds = () => floorStore.feeds;
  return useSyncExternalStore(floorStore.subscribe, feeds, feeds);  // the third: the prerendered page (none yet)
}

// A counter screen's feed: its ticket covers its own counter kind only.
function counterFeed(feeds) {
  return Object.values(feeds)[0];
}

function applyMessage(current, message) {
  if (message.t === "snapshot") {
    return { v: message.v, rows: message.rows, lists: message.lists, load: message.load, focus: message.focus };
  }
  const rows = { ...current.rows };
  for (const key of message.removed || []) delete rows[key];
  Object.assign(rows, message.rows || {});
  return {
    v: message.v,
    rows,
    lists: { ...current.lists, ...(message.lists || {}) },
    load: message.load || current.load,
    focus: { ...current.focus, ...(message.focus || {}) },
  };
}

function floorUrl(ticket) {
  const url = getBackendURL(env.EVENT);
  url.pathname = "/_floor";
  url.search = "?ticket=" + encodeURIComponent(ticket);
  return url.toString();
}

function minutesSince(since, minute) {
  return since > 0 && minute > since ? minute - since : 0;
}

function QueueRow({ row, minute, timeLabel, action }) {
  return (
    <Table.Row data-visit={row.visit_id}>
      <Table.Cell>
        <Badge color={KIND_COLORS[row.kind] || "gray"} variant="soft">{row.kind_label}</Badge>
      </Table.Cell>
      <Table.Cell>
        <Text as="p" weight="medium">{row.name}</Text>
        {row.ticket !== "" && <Text as="p" size="1" color="gray">{"Nr. " + row.ticket}</Text>}
        {row.batch_size > 0 && <Text as="p" size="1">{row.batch_size + " Vorgänge"}</Text>}
      </Table.Cell>
      <Table.Cell><Text as="p" size="2">{row.services}</Text></Table.Cell>
      <Table.Cell>{row.slot !== "" ? <Text as="p">{row.slot}</Text> : <Text as="p" color="gray">–</Text>}</Table.Cell>
      {timeLabel && (
        <Table.Cell aria-label={timeLabel}><Text as="p">{minutesSince(row.since, minute) + " min"}</Text></Table.Cell>
      )}
      <Table.Cell><Text as="p" size="2">{row.place}</Text></Table.Cell>
      <Table.Cell>{action ? action(row) : null}</Table.Cell>
    </Table.Row>
  );
}

function QueueTable({ title, rows, empty, minute, timeLabel, action, loaded }) {
  return (
    <section aria-label={title} style={{ width: "100%" }}>
      <Heading as="h2" size="4" style={{ marginBottom: "0.5rem" }}>{title}</Heading>
      {!loaded ? (
        <Text as="p" color="gray" size="2">Wird geladen …</Text>
      ) : rows.length > 0 ? (
        <Table.Root size="1" variant="surface" style={{ width: "100%" }}>
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Art</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Name</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Anliegen</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Termin</Table.ColumnHeaderCell>
              {timeLabel && <Table.ColumnHeaderCell>{timeLabel}</Table.ColumnHeaderCell>}
              <Table.ColumnHeaderCell>Ort</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell><span className="sr-only">Aktion</span></Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((row) => (
              <QueueRow key={row.visit_id} row={row} minute={minute} timeLabel={timeLabel} action={action} />
            ))}
          </Table.Body>
        </Table.Root>
      ) : (
        <Text as="p" color="gray" size="2">{empty}</Text>
      )}
    </section>
  );
}

function Stat({ label, value }) {
  return (
    <Card aria-label={label}>
      <Text as="p" size="1" color="gray">{label}</Text>
      <Text as="p" size="5" weight="bold">{value}</Text>
    </Card>
  );
}

function FloorLoad({ load }) {
  const l = load || {};
  const n = (value) => (value === undefined ? "–" : String(value));
  return (
    <section aria-label="Auslastung" style={{ width: "100%" }}>
      <Grid columns="3" gap="2" width="100%">
        <Stat label="Wartend" value={n(l.waiting)} />
        <Stat label="Termine erwartet" value={n(l.expected)} />
        <Stat label="Am Schalter" value={n(l.serving)} />
        <Stat label="Schalter belegt" value={n(l.counters_busy) + " / " + n(l.counters_open)} />
        <Stat label="Längste Wartezeit" value={n(l.longest_wait_min) + " min"} />
        <Stat label="Mittlere Wartezeit" value={n(l.mean_wait_min) + " min"} />
      </Grid>
    </section>
  );
}

// One socket per screen: snapshot first, then deltas; a gap asks for a snapshot, a dropped socket reconnects,
// a refused ticket (expired, login ended) asks the page for a new one.
function useFloorFeed(ticket, onMessage, onTicketNeeded) {
  const handlers = useRef({ onMessage, onTicketNeeded });
  handlers.current = { onMessage, onTicketNeeded };
  useEffect(() => {
    if (!ticket) return undefined;
    let socket = null;
    let stopped = false;
    let retry = null;
    let delay = 500;
    const connect = () => {
      socket = new WebSocket(floorUrl(ticket));
      socket.onopen = () => { delay = 500; };
      socket.onmessage = (event) => {
        const message = JSON.parse(event.data);
        if (message.t === "refused") return;
        if (!handlers.current.onMessage(message)) socket.send("resync");
      };
      socket.onclose = (event) => {
        if (stopped) return;
        if (event.code === 4401) {
          handlers.current.onTicketNeeded();
          return;
        }
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 10000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      if (socket) socket.close();
    };
  }, [ticket]);
}

// The page is asked (on_focus) only about a visit at this counter: one the channel shows "active" that the page
// does not show yet (e.g. reception sent someone here), or the page's active panel that the channel no longer
// shows (so it clears). A change of the next person is drawn by FloorNextPreview without asking the server.
function needsServer(focus, shownMode, shownVisit, shownVersion) {
  const focusActive = focus[0] === "active";
  const shownActive = shownMode === "active" && shownVisit > 0;
  if (!focusActive && !shownActive) return false;
  return !(focusActive && shownActive && focus[1] === shownVisit && focus[2] === shownVersion);
}

export function FloorLists({
  ticket, screen, counterId, shownMode, shownVisit, shownVersion,
  onCallTarget, onResume, onFocus, onTicketNeeded,
}) {
  const reported = useRef(null);
  const floor = useFloorStore();
  useEffect(() => () => floorStore.set({}), []);

  const onMessage = (message) => {
    const current = floorStore.feeds[message.kind];
    if (message.t === "delta" && (!current || current.v !== message.from)) return false;
    floorStore.set({ ...floorStore.feeds, [message.kind]: applyMessage(current, message) });
    return true;
  };
  useFloorFeed(ticket, onMessage, () => onTicketNeeded && onTicketNeeded());

  const regular = screen === "reception" ? floor.regular : counterFeed(floor);
  const focus = screen === "counter" && regular ? regular.focus[String(counterId)] || NO_FOCUS : null;
  const focusKey = focus ? focus.join(":") : "";
  useEffect(() => {
    if (!focus || !onFocus) return;
    if (!needsServer(focus, shownMode, shownVisit, shownVersion)) {
      reported.current = null;
    } else if (reported.current !== focusKey) {
      reported.current = focusKey;
      onFocus(focus[0], focus[1], focus[2]);
    }
  }, [focusKey, shownMode, shownVisit, shownVersion]);

  const rowsOf = (feed, name) => (feed ? feed.lists[name].map((id) => feed.rows[String(id)]) : []);
  const minute = regular ? regular.load.minute : 0;
  const loaded = Boolean(regular);
  if (screen === "reception") {
    const dealer = floor.dealer;
    return (
      <>
        <FloorLoad load={regular && regular.load} />
        <QueueTable title="Warteschlange" rows={rowsOf(regular, "waiting")} empty="Niemand wartet." minute={minute}
          timeLabel="Wartezeit" loaded={loaded} />
        <QueueTable title="Händler" rows={rowsOf(dealer, "waiting")} empty="Kein Händler wartet."
          minute={dealer ? dealer.load.minute : 0} timeLabel="Wartezeit" loaded={Boolean(dealer)} />
        <QueueTable title="Termine, noch nicht da" rows={rowsOf(regular, "expected")} empty="Keine weiteren Termine."
          loaded={loaded} />
      </>
    );
  }
  const callButton = (row) => (
    <Button size="1" variant="ghost" aria-label={row.name + " außer der Reihe aufrufen"}
      onClick={() => onCallTarget(row.visit_id)}>Außer der Reihe</Button>
  );
  const resumeButton = (row) => (
    <Button size="1" variant="ghost" aria-label={row.name + " zurückholen"}
      onClick={() => onResume(row.visit_id)}>Zurückholen</Button>
  );
  return (
    <>
      <FloorLoad load={regular && regular.load} />
      <QueueTable title="Warteschlange" rows={rowsOf(regular, "waiting")} empty="Niemand wartet." minute={minute}
        timeLabel="Wartezeit" action={callButton} loaded={loaded} />
      <QueueTable title="Am Schalter" rows={rowsOf(regular, "at_counters")} empty="Niemand wird gerade bedient."
        minute={minute} timeLabel="Dauer" loaded={loaded} />
      <QueueTable title="Geparkt" rows={rowsOf(regular, "parked")} empty="Niemand geparkt." minute={minute}
        timeLabel="Geparkt seit" action={resumeButton} loaded={loaded} />
      <QueueTable title="Termine, noch nicht da" rows={rowsOf(regular, "expected")} empty="Keine weiteren Termine."
        loaded={loaded} />
    </>
  );
}

// An idle counter's next person, from the feed's queue row only (see the note at the top of this file).
export function FloorNextPreview({ counterId }) {
  const feed = counterFeed(useFloorStore());
  const focus = feed ? feed.focus[String(counterId)] || NO_FOCUS : NO_FOCUS;
  const row = feed && focus[0] === "next" ? feed.rows[String(focus[1])] : undefined;
  if (!row) {
    return (
      <Card style={{ width: "100%" }}>
        <Text as="p" color="gray">{feed ? "Zurzeit wartet niemand auf Ihren Schalter." : "Wird geladen …"}</Text>
      </Card>
    );
  }
  const badge = (text) => <Badge size="2" variant="outline">{text}</Badge>;
  return (
    <Card style={{ width: "100%" }}>
      <section aria-label="Als Nächstes dran" data-visit={row.visit_id}>
        <Heading as="h2" size="2" color="gray" weight="regular">Als Nächstes dran</Heading>
        <Flex align="center" gap="2" wrap="wrap" style={{ marginTop: "0.25rem" }}>
          <Heading as="h3" size="6">{row.name}</Heading>
          <Badge size="2" color={KIND_COLORS[row.kind] || "gray"} variant="soft">{row.kind_label}</Badge>
          {row.ticket !== "" && badge("Nr. " + row.ticket)}
          {row.slot !== "" && badge("Termin " + row.slot)}
          {row.arrived !== "" && badge("da seit " + row.arrived)}
          {badge("wartet " + minutesSince(row.since, feed.load.minute) + " min")}
        </Flex>
        {row.batch_size > 0 && <Text as="p" weight="medium">{row.batch_size + " Vorgänge im Stapel"}</Text>}
        <Text as="p" size="3" style={{ marginTop: "0.5rem" }}>{"Anliegen: " + row.services}</Text>
      </section>
    </Card>
  );
}
