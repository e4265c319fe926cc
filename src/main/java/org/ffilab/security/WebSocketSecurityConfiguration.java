package org.ffilab.security;

import java.util.function.Supplier;

import org.ffilab.account.LabUser;
import org.ffilab.classroom.Classrooms;
import org.ffilab.run.RunService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.socket.EnableWebSocketSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.messaging.access.intercept.MessageAuthorizationContext;
import org.springframework.security.messaging.access.intercept.MessageMatcherDelegatingAuthorizationManager;

/**
 * Who may subscribe to which live topic. The handshake at /ws already needs a signed-in session and CONNECT needs
 * the session's CSRF token; here every subscription is checked against the same rules as the pages and the API,
 * and anything not listed is refused.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketSecurity
class WebSocketSecurityConfiguration {

	@Bean
	AuthorizationManager<Message<?>> messageAuthorizationManager(
			MessageMatcherDelegatingAuthorizationManager.Builder messages, ObjectProvider<RunService> runs,
			ObjectProvider<Classrooms> classrooms) {
		// Looked up on use: the run service publishes through the broker this configuration secures.
		messages.simpTypeMatchers(SimpMessageType.CONNECT, SimpMessageType.DISCONNECT, SimpMessageType.HEARTBEAT,
				SimpMessageType.UNSUBSCRIBE)
			.authenticated()
			.simpSubscribeDestMatchers("/topic/runs/{runId}")
			.access(allowIf((user, context) -> runs.getObject().mayView(context.getVariables().get("runId"), user)))
			.simpSubscribeDestMatchers("/topic/classes/{classId}", "/topic/classes/{classId}/**")
			.access(allowIf((user, context) -> canTeach(classrooms.getObject(), user, context.getVariables().get("classId"))))
			.anyMessage()
			.denyAll();
		return messages.build();
	}

	private static boolean canTeach(Classrooms classrooms, LabUser user, String classId) {
		try {
			return classrooms.canTeach(user, Long.parseLong(classId));
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	private static AuthorizationManager<MessageAuthorizationContext<?>> allowIf(TopicRule rule) {
		return new AuthorizationManager<>() {
			@Override
			public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
					MessageAuthorizationContext<?> context) {
				boolean allowed = LabUser.of(authentication.get())
					.map((user) -> rule.allows(user, context))
					.orElse(false);
				return new AuthorizationDecision(allowed);
			}
		};
	}

	@FunctionalInterface
	private interface TopicRule {

		boolean allows(LabUser user, MessageAuthorizationContext<?> context);

	}

}
