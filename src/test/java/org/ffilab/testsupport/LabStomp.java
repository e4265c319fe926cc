package org.ffilab.testsupport;

import java.lang.reflect.Type;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/** STOMP over the lab's WebSocket as the task page uses it: the session cookie on the handshake, CSRF on CONNECT. */
public final class LabStomp {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<StompSession, CountDownLatch> FAILURES = Collections.synchronizedMap(new WeakHashMap<>());

	private LabStomp() {
	}

	public static StompSession connect(LabSession session) throws Exception {
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new StringMessageConverter());
		var scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		client.setTaskScheduler(scheduler);
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.add("Cookie", session.cookieHeader());
		StompHeaders connect = new StompHeaders();
		connect.add("X-CSRF-TOKEN", session.csrfToken());
		CountDownLatch failed = new CountDownLatch(1);
		StompSession stomp = client
			.connectAsync("ws://localhost:" + session.port() + "/ws", handshake, connect,
					new StompSessionHandlerAdapter() {
						@Override
						public void handleFrame(StompHeaders headers, Object payload) {
							failed.countDown(); // an ERROR frame
						}

						@Override
						public void handleTransportError(StompSession s, Throwable ex) {
							failed.countDown();
						}
					})
			.get(5, TimeUnit.SECONDS);
		FAILURES.put(stomp, failed);
		return stomp;
	}

	/** Subscribes with a receipt and waits for it; JSON messages go to the list. */
	public static boolean subscribe(StompSession session, String destination, List<JsonNode> messages)
			throws InterruptedException {
		var subscribed = new CountDownLatch(1);
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setReceipt("subscribed-" + destination);
		session.subscribe(headers, new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders headers) {
				return String.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				messages.add(JSON.readTree((String) payload));
			}
		}).addReceiptTask(subscribed::countDown);
		// A refused subscription ends in an ERROR frame and a closed connection: stop waiting then.
		CountDownLatch failed = FAILURES.getOrDefault(session, new CountDownLatch(1));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			if (subscribed.await(20, TimeUnit.MILLISECONDS)) {
				return true;
			}
			if (failed.getCount() == 0 || !session.isConnected()) {
				return false;
			}
		}
		return false;
	}

}
