package org.ffilab.run;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Answers a SUBSCRIBE that asks for a receipt once the broker has registered it (the simple broker sends none), so
 * a client knows from when on it will see a topic's messages. A refused subscription never gets one.
 */
final class SubscriptionReceipts implements ExecutorChannelInterceptor {

	private final MessageChannel clientOutbound;

	SubscriptionReceipts(MessageChannel clientOutbound) {
		this.clientOutbound = clientOutbound;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler, Exception ex) {
		if (ex != null || !(handler instanceof SimpleBrokerMessageHandler)
				|| SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) != SimpMessageType.SUBSCRIBE) {
			return;
		}
		String receipt = StompHeaderAccessor.wrap(message).getReceipt();
		if (receipt == null) {
			return;
		}
		StompHeaderAccessor answer = StompHeaderAccessor.create(StompCommand.RECEIPT);
		answer.setReceiptId(receipt);
		answer.setSessionId(SimpMessageHeaderAccessor.getSessionId(message.getHeaders()));
		this.clientOutbound.send(MessageBuilder.createMessage(new byte[0], answer.getMessageHeaders()));
	}

}
