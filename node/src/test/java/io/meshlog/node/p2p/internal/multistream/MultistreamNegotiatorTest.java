package io.meshlog.node.p2p.internal.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.node.p2p.internal.Varint;
import io.meshlog.node.p2p.internal.multistream.MultistreamNegotiator.Result;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MultistreamNegotiatorTest {

  private static final int MAX = MultistreamNegotiator.DEFAULT_MAX_MESSAGE_LENGTH;

  private static ByteBuf messages(String... texts) {
    ByteBuf buf = Unpooled.buffer();
    for (String t : texts) {
      MultistreamNegotiator.writeMessage(buf, t);
    }
    return buf;
  }

  @Test
  void shouldAgreeOnTheFirstProposalTheListenerSupports() {
    MultistreamNegotiator dialer = MultistreamNegotiator.dialer(List.of("/a", "/b"), MAX);
    MultistreamNegotiator listener = MultistreamNegotiator.listener(Set.of("/b")::contains, MAX);
    ByteBuf toListener = Unpooled.buffer();
    ByteBuf toDialer = Unpooled.buffer();
    dialer.start(toListener);
    Result l = Result.NEED_MORE;
    Result d = Result.NEED_MORE;
    for (int round = 0; round < 5 && (l != Result.SELECTED || d != Result.SELECTED); round++) {
      l = listener.feed(toListener, toDialer);
      d = dialer.feed(toDialer, toListener);
    }
    assertThat(l).isEqualTo(Result.SELECTED);
    assertThat(d).isEqualTo(Result.SELECTED);
    assertThat(dialer.selected()).isEqualTo("/b");
    assertThat(listener.selected()).isEqualTo("/b");
    assertThat(toListener.isReadable()).isFalse();
    assertThat(toDialer.isReadable()).isFalse();
  }

  @Test
  void shouldLeavePipelinedPayloadAfterTheSelectingMessage() {
    MultistreamNegotiator listener = MultistreamNegotiator.listener("/echo"::equals, MAX);
    ByteBuf in = messages(MultistreamNegotiator.PROTOCOL_ID, "/echo");
    in.writeBytes("payload".getBytes(StandardCharsets.UTF_8));
    ByteBuf out = Unpooled.buffer();

    assertThat(listener.feed(in, out)).isEqualTo(Result.SELECTED);
    assertThat(in.toString(StandardCharsets.UTF_8)).isEqualTo("payload");
    assertThat(out).isEqualTo(messages(MultistreamNegotiator.PROTOCOL_ID, "/echo"));
  }

  @Test
  void shouldWaitSilentlyUntilTheWholeMessageArrives() {
    MultistreamNegotiator listener = MultistreamNegotiator.listener("/echo"::equals, MAX);
    ByteBuf all = messages(MultistreamNegotiator.PROTOCOL_ID, "/echo");
    ByteBuf in = Unpooled.buffer();
    ByteBuf out = Unpooled.buffer();
    Result result = Result.NEED_MORE;
    while (all.isReadable()) {
      in.writeByte(all.readByte());
      result = listener.feed(in, out);
    }
    assertThat(result).isEqualTo(Result.SELECTED);
  }

  @Test
  void shouldAnswerNaToLsAndUnsupportedProtocols() {
    MultistreamNegotiator listener = MultistreamNegotiator.listener("/echo"::equals, MAX);
    ByteBuf out = Unpooled.buffer();
    assertThat(listener.feed(messages(MultistreamNegotiator.PROTOCOL_ID, "ls", "/x"), out))
        .isEqualTo(Result.NEED_MORE);
    assertThat(out).isEqualTo(messages(MultistreamNegotiator.PROTOCOL_ID, "na", "na"));
  }

  @Test
  void shouldFailWhenTheRemoteSupportsNothingWeOffer() {
    MultistreamNegotiator dialer = MultistreamNegotiator.dialer(List.of("/a"), MAX);
    dialer.start(Unpooled.buffer());
    Result r = dialer.feed(messages(MultistreamNegotiator.PROTOCOL_ID, "na"), Unpooled.buffer());
    assertThat(r).isEqualTo(Result.FAILED);
    assertThat(dialer.failure()).contains("not supported");
  }

  @Test
  void shouldRejectOversizedLengthBeforeReadingIt() {
    MultistreamNegotiator listener = MultistreamNegotiator.listener(p -> true, MAX);
    ByteBuf in = Unpooled.buffer();
    Varint.write(in, 1 << 30);
    assertThat(listener.feed(in, Unpooled.buffer())).isEqualTo(Result.FAILED);
    assertThat(listener.failure()).contains("length");
  }

  @Test
  void shouldRejectOverlongVarint() {
    MultistreamNegotiator listener = MultistreamNegotiator.listener(p -> true, MAX);
    ByteBuf in =
        Unpooled.wrappedBuffer(
            new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
    assertThat(listener.feed(in, Unpooled.buffer())).isEqualTo(Result.FAILED);
  }

  @Test
  void shouldRejectAMessageWithoutNewlineAndAWrongHeader() {
    ByteBuf noNewline = Unpooled.buffer();
    Varint.write(noNewline, 3);
    noNewline.writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
    MultistreamNegotiator a = MultistreamNegotiator.listener(p -> true, MAX);
    assertThat(a.feed(noNewline, Unpooled.buffer())).isEqualTo(Result.FAILED);

    MultistreamNegotiator b = MultistreamNegotiator.listener(p -> true, MAX);
    ByteBuf out = Unpooled.buffer();
    assertThat(b.feed(messages("/multistream/2.0.0"), out)).isEqualTo(Result.FAILED);
    assertThat(out.isReadable()).isFalse();
  }

  @Test
  void shouldGiveUpAfterTooManyUnsupportedProposals() {
    MultistreamNegotiator listener = MultistreamNegotiator.listener(p -> false, MAX);
    ByteBuf in = messages(MultistreamNegotiator.PROTOCOL_ID);
    for (int i = 0; i < 100; i++) {
      MultistreamNegotiator.writeMessage(in, "/nope/" + i);
    }
    assertThat(listener.feed(in, Unpooled.buffer())).isEqualTo(Result.FAILED);
  }

  @Test
  void shouldNeverThrowOnRandomBytes() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[random.nextInt(64)];
      random.nextBytes(junk);
      MultistreamNegotiator listener = MultistreamNegotiator.listener(p -> true, MAX);
      Result r = listener.feed(Unpooled.wrappedBuffer(junk), Unpooled.buffer());
      assertThat(r).isIn(Result.NEED_MORE, Result.FAILED);
    }
  }

  @Test
  void shouldPassLeftoverBytesToTheNextHandlerAndRemoveTheNegotiator() {
    List<Object> received = new ArrayList<>();
    List<String> selected = new ArrayList<>();
    ChannelInboundHandlerAdapter next =
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received.add(buf.toString(StandardCharsets.UTF_8));
            buf.release();
          }
        };
    MultistreamHandler handler =
        new MultistreamHandler(
            MultistreamNegotiator.listener("/noise"::equals, MAX),
            new MultistreamHandler.Listener() {
              @Override
              public void onSelected(ChannelHandlerContext ctx, String protocol) {
                selected.add(protocol);
                ctx.pipeline().addAfter(ctx.name(), "next", next);
              }

              @Override
              public void onFailed(ChannelHandlerContext ctx, String reason) {
                selected.add("failed: " + reason);
              }
            });
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    ByteBuf in = messages(MultistreamNegotiator.PROTOCOL_ID, "/noise");
    in.writeBytes("hello".getBytes(StandardCharsets.UTF_8));
    channel.writeInbound(in);

    assertThat(selected).containsExactly("/noise");
    assertThat(received).containsExactly("hello");
    assertThat(channel.pipeline().get(MultistreamHandler.class)).isNull();
    ByteBuf reply = channel.readOutbound();
    assertThat(reply).isEqualTo(messages(MultistreamNegotiator.PROTOCOL_ID, "/noise"));
    reply.release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void shouldCloseTheChannelOnGarbage() {
    List<String> failures = new ArrayList<>();
    MultistreamHandler handler =
        new MultistreamHandler(
            MultistreamNegotiator.listener(p -> true, MAX),
            new MultistreamHandler.Listener() {
              @Override
              public void onSelected(ChannelHandlerContext ctx, String protocol) {}

              @Override
              public void onFailed(ChannelHandlerContext ctx, String reason) {
                failures.add(reason);
              }
            });
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, 'h', 'e', 'l', 'l', 'o'}));
    assertThat(failures).hasSize(1);
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }
}
