package org.ffilab.run;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/** STOMP over a plain WebSocket at /ws; runs publish on /topic/runs/{id}. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class WebSocketConfiguration implements WebSocketMessageBrokerConfigurer {

	private final MessageChannel clientOutbound;

	WebSocketConfiguration(@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutbound) {
		this.clientOutbound = clientOutbound;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new SubscriptionReceipts(this.clientOutbound));
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint("/ws");
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic");
		// Output batches and the verdict must reach a browser in the order they were sent.
		registry.setPreservePublishOrder(true);
		registry.setApplicationDestinationPrefixes("/app");
	}

}
