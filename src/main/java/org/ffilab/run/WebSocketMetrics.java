package org.ffilab.run;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.config.WebSocketMessageBrokerStats;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/**
 * Gauge of the WebSocket sessions open on /ws right now: the browsers that can receive a run's
 * output (every session there speaks STOMP). Read from Spring's own session bookkeeping, which
 * counts a session up when it opens and down when it closes, however it closes. Counting
 * SessionConnectedEvent and SessionDisconnectEvent ourselves would need a set of ids, since a
 * disconnect may be announced twice, and could still keep an id forever when a quick close is
 * announced before its connect.
 */
@Component
class WebSocketMetrics {

	static final String SESSIONS = "ffilab.websocket.sessions";

	WebSocketMetrics(MeterRegistry registry, WebSocketMessageBrokerStats stats) {
		Gauge.builder(SESSIONS, stats, WebSocketMetrics::open)
			.description("WebSocket (STOMP) sessions open right now")
			.register(registry);
	}

	private static double open(WebSocketMessageBrokerStats stats) {
		SubProtocolWebSocketHandler.Stats sessions = stats.getWebSocketSessionStats();
		return (sessions != null) ? sessions.getWebSocketSessions() : Double.NaN;
	}

}
