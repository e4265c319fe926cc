package org.ffilab.sandbox.docker;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.ffilab.sandbox.SandboxProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DockerClientConfiguration {

	@Bean(destroyMethod = "close")
	DockerClient dockerClient(SandboxProperties properties, EngineProperties engine) {
		var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
			.withDockerHost(properties.dockerHost())
			.build();
		var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
			.sslConfig(config.getSSLConfig())
			.maxConnections(64)
			.connectionTimeout(Duration.ofSeconds(5))
			// A socket read timeout (TCP only: the unix socket ignores it). The attach stream stays
			// open for a whole run, silent stretches included: bound it by the longest run allowed.
			.responseTimeout(properties.maxWallTime().plusMinutes(2))
			.build();
		return DockerClientImpl.getInstance(config,
				new DeadlineHttpClient(http, engine.queryTimeout(), engine.commandTimeout()));
	}

}
